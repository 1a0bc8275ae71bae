package io.raftx.lincheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the checker on every history listed in the shared manifests and compares with the known verdict.
 *
 * <p>The vectors live outside the repository, in {@code shared/} beside the repository root (CI clones the repo
 * next to it). A missing directory fails the test: skipping would turn "checker never ran" into green.
 */
class LinearizabilityVectorsTest {

    private static final String DATA_DIR = "shared/linearizability";

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @TestFactory
    Stream<DynamicTest> jepsenAndKvVectors() throws IOException {
        return testsFromManifest(dataDir().resolve("vectors"));
    }

    @TestFactory
    Stream<DynamicTest> handMadeExamples() throws IOException {
        return testsFromManifest(dataDir().resolve("examples"));
    }

    private Stream<DynamicTest> testsFromManifest(Path dir) throws IOException {
        JsonNode manifest = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("MANIFEST.json")));
        assertThat(manifest.size()).as("entries in %s/MANIFEST.json", dir).isPositive();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : manifest.properties()) {
            String file = entry.getKey();
            Verdict expected = verdictOf(entry.getValue().asString(), file);
            tests.add(DynamicTest.dynamicTest(file, () -> {
                Path history = dir.resolve(file);
                assertThat(history).as("history listed in the manifest").isRegularFile();
                Result result = checker.check(HistoryIO.read(history));
                assertThat(result.verdict()).as("%s: %s", file, result).isEqualTo(expected);
            }));
        }
        return tests.stream();
    }

    private static Verdict verdictOf(String manifestValue, String file) {
        return switch (manifestValue) {
            case "linearizable" -> Verdict.LINEARIZABLE;
            case "not-linearizable" -> Verdict.NOT_LINEARIZABLE;
            default -> throw new IllegalArgumentException(file + ": unknown verdict '" + manifestValue + "'");
        };
    }

    /** Walks up from the working directory (the module dir under surefire) to the one holding shared/. */
    static Path dataDir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DATA_DIR);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("no " + DATA_DIR + " in " + start + " or any parent; the shared test data must sit beside"
                + " the repository root (../shared)");
    }
}
