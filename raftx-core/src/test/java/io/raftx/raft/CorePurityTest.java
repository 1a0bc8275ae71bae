package io.raftx.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The consensus core stays deterministic: no threads, clocks, sockets, disk or other RaftX layers inside. */
class CorePurityTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftx.raft");

    @Test
    void noIoThreadsOrWallClock() {
        noClasses().that().resideInAPackage("io.raftx.raft..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "java.util.concurrent..", "java.time..",
                        "io.grpc..", "org.h2..", "org.slf4j..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.Random.class)
                .because("the core must replay exactly from its inputs; randomness comes in as a seeded RandomGenerator")
                .check(core);
    }

    @Test
    void coreDoesNotDependOnOuterLayers() {
        noClasses().that().resideInAPackage("io.raftx.raft..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.raftx.raft..", "java.lang..", "java.util..",
                        "java.nio.charset..")
                .check(core);
    }
}
