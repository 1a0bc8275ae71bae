package io.raftx;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where snapshot code lives and who may touch the disk, for raftx-core's main classes. The deterministic core's
 * rules are in {@code io.raftx.raft.CorePurityTest}. An ArchUnit rule whose "that" part selects no class fails
 * (ArchUnit's default), so a renamed package breaks these rules instead of emptying them.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftx");

    /** Classes outside storage and snapshot that may touch files anyway, each with the reason. */
    private static final Map<String, String> FILE_ACCESS_EXCEPTIONS = new TreeMap<>(Map.of(
            "io.raftx.transport.TransportTlsConfig", "checks that the TLS PEM files it is given exist and are readable",
            "io.raftx.transport.PeerTlsCredentials", "hands the TLS PEM files to gRPC, which reads them",
            "io.raftx.node.WarmUp", "lists the class files of its own jar or class directory; reads nothing else"));

    /** The JDK and H2 types that read or write files; {@code belongTo} includes their nested classes. */
    private static final DescribedPredicate<JavaClass> FILE_SYSTEM_API = belongToAnyOf(
            File.class, FileInputStream.class, FileOutputStream.class, FileReader.class, FileWriter.class,
            RandomAccessFile.class, Files.class, FileSystems.class, FileChannel.class, AsynchronousFileChannel.class,
            MVStore.class).as("are file system APIs (java.io.File*, RandomAccessFile, Files, FileSystems, FileChannel, "
            + "AsynchronousFileChannel, H2's MVStore)");

    static final ArchRule FILE_ACCESS_ONLY_IN_STORAGE_AND_SNAPSHOT = noClasses()
            .that().resideOutsideOfPackages("io.raftx.storage..", "io.raftx.snapshot..")
            .and(notListed(FILE_ACCESS_EXCEPTIONS))
            .should().dependOnClassesThat(FILE_SYSTEM_API)
            .orShould().callMethod(Path.class, "toFile")
            .because("durability (fsync order, atomic renames, checksums) is decided in io.raftx.storage and "
                    + "io.raftx.snapshot; the rest of the engine reaches the disk through them");

    @Test
    void snapshotDependsOnNeitherTransportNorNode() {
        noClasses().that().resideInAPackage("io.raftx.snapshot..")
                .should().dependOnClassesThat().resideInAnyPackage("io.raftx.transport..", "io.raftx.node..")
                .because("the transport implements the snapshot package's streaming interfaces, and the node "
                        + "drives its Snapshotter: both depend on snapshot, never the reverse")
                .check(MAIN);
    }

    @Test
    void transportDependsOnNeitherNodeNorStorage() {
        noClasses().that().resideInAPackage("io.raftx.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("io.raftx.node..", "io.raftx.storage..")
                .check(MAIN);
    }

    @Test
    void storageDependsOnNoOuterLayer() {
        noClasses().that().resideInAPackage("io.raftx.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.raftx.snapshot..", "io.raftx.transport..",
                        "io.raftx.node..")
                .check(MAIN);
    }

    @Test
    void fileAccessOnlyInStorageAndSnapshot() {
        FILE_ACCESS_ONLY_IN_STORAGE_AND_SNAPSHOT.check(MAIN);
    }

    @Test
    void everyListedExceptionStillExistsAndStillTouchesFiles() {
        for (String name : FILE_ACCESS_EXCEPTIONS.keySet()) {
            JavaClass listed = MAIN.get(name);
            boolean touchesFiles = listed.getDirectDependenciesFromSelf().stream()
                    .anyMatch(d -> FILE_SYSTEM_API.test(d.getTargetClass()))
                    || listed.getMethodCallsFromSelf().stream().anyMatch(call -> call.getTarget().getName()
                    .equals("toFile") && call.getTargetOwner().isEquivalentTo(Path.class));
            assertThat(touchesFiles).as("%s is listed as an exception but touches no file: remove it from the list",
                    name).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {ReadsWithFiles.class, OpensAFileChannel.class, WritesWithFileOutputStream.class,
            HandsOnAFile.class, OpensAnMvStore.class})
    void theFileRuleCatchesEachKindOfAccess(Class<?> fixture) {
        EvaluationResult result = FILE_ACCESS_ONLY_IN_STORAGE_AND_SNAPSHOT.evaluate(
                new ClassFileImporter().importClasses(fixture));

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains(fixture.getName()));
    }

    @Test
    void theFileRuleLetsAClassWithoutFileAccessPass() {
        EvaluationResult result = FILE_ACCESS_ONLY_IN_STORAGE_AND_SNAPSHOT.evaluate(
                new ClassFileImporter().importClasses(UsesOnlyPaths.class));

        assertThat(result.hasViolation()).isFalse();
    }

    /** Classes other than the listed ones and their nested classes; the rule's text names each with its reason. */
    private static DescribedPredicate<JavaClass> notListed(Map<String, String> exceptions) {
        String reasons = exceptions.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return DescribedPredicate.describe("are not one of these exceptions: " + reasons, c -> exceptions.keySet()
                .stream().noneMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$")));
    }

    // Fixtures: classes in io.raftx (outside storage and snapshot) that touch the disk in different ways.

    static final class ReadsWithFiles {
        static String read(Path p) throws IOException {
            return Files.readString(p);
        }
    }

    static final class OpensAFileChannel {
        static long size(Path p) throws IOException {
            try (FileChannel channel = FileChannel.open(p)) {
                return channel.size();
            }
        }
    }

    static final class WritesWithFileOutputStream {
        static void write(String name) throws IOException {
            try (FileOutputStream out = new FileOutputStream(name)) {
                out.write(1);
            }
        }
    }

    static final class HandsOnAFile {
        static Object hand(Path p) {
            return p.toFile(); // only the call to Path.toFile shows: the type File appears nowhere in this class
        }
    }

    static final class OpensAnMvStore {
        static void open(String name) {
            MVStore.open(name).close();
        }
    }

    static final class UsesOnlyPaths {
        static Path resolve(Path dir) {
            return dir.resolve("snapshots").normalize();
        }
    }
}
