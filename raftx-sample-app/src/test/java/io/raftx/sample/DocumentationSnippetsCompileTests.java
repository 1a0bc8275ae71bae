package io.raftx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of README.md and src-docs/*.md compiles exactly as shown, imports included, against
 * the sample app's classpath (the starter, Spring Web, Jackson): a reader can paste any of them into a project.
 */
class DocumentationSnippetsCompileTests {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE_NAME = Pattern.compile(
            "^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);

    @TempDir
    Path out;

    record Snippet(String file, int number, String source) {
        @Override
        public String toString() {
            return file + " #" + number;
        }
    }

    static Stream<Snippet> snippets() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("src-docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Snippet> all = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            for (int n = 1; m.find(); n++) {
                all.add(new Snippet(root.relativize(doc).toString(), n, m.group(1)));
            }
        }
        assertThat(all).as("java snippets in the docs").hasSizeGreaterThan(5);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compilesAsShown(Snippet snippet) {
        Matcher type = TYPE_NAME.matcher(snippet.source());
        assertThat(type.find()).as(snippet + " declares a class, record or interface").isTrue();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + type.group(1) + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return snippet.source();
            }
        };
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-classpath", classpath(), "-d", out.toString(), "-proc:none",
                "-parameters");
        boolean compiled = compiler.getTask(null, null, diagnostics, options, null, List.of(source)).call();
        assertThat(compiled).as(() -> snippet + " does not compile:\n" + diagnostics.getDiagnostics().stream()
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList()).isTrue();
    }

    /** Surefire runs tests from a manifest-only jar and passes the real classpath in this property. */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
