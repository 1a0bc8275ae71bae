package io.raftx.volatiles;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The volatile core stays deterministic and memory-only: no threads, clocks, sockets, disk or outer layers. */
class VolatilePurityTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftx.volatiles");

    @Test
    void noIoThreadsClocksOrRandomness() {
        noClasses().that().resideInAPackage("io.raftx.volatiles..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "java.util.concurrent..",
                        "java.time..", "java.util.random..", "io.grpc..", "org.h2..", "org.slf4j..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.Random.class)
                .because("the volatile core must replay exactly from its inputs and never touch disk")
                .check(core);
    }

    @Test
    void dependsOnlyOnTheJdkCore() {
        noClasses().that().resideInAPackage("io.raftx.volatiles..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.raftx.volatiles..", "java.lang..",
                        "java.util..")
                .check(core);
    }
}
