package io.raftx.node;

import io.raftx.raft.CoreWarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

    @TempDir
    Path tmp;

    @Test
    void listsTheClassesOfADirectoryOnTheClassPath() {
        List<String> names = WarmUp.classNames(RaftNode.class, "io/raftx/");
        assertThat(names).contains("io.raftx.node.RaftNode", "io.raftx.raft.Replicator", "io.raftx.raft.Progress$State")
                .noneMatch(n -> n.endsWith("package-info"));
        assertThat(WarmUp.classNames(RaftNode.class, "io/raftx/no-such-package/")).isEmpty();
    }

    @Test
    void linksEveryClassOfAJarWithTheAnchorsLoader() throws Exception {
        Path classes = Path.of(CoreWarmUp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = tmp.resolve("raft.jar");
        int written = 0;
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.list(classes.resolve("io/raftx/raft"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new JarEntry("io/raftx/raft/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
                written++;
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> anchor = loader.loadClass(CoreWarmUp.class.getName());
            assertThat(anchor).isNotSameAs(CoreWarmUp.class);
            assertThat(WarmUp.classNames(anchor, "io/raftx/raft/")).hasSize(written);
            assertThat(WarmUp.preloadClasses(anchor, "io/raftx/raft/")).isEqualTo(written); // the package stands alone
        }
    }

    @Test
    void runsOncePerKeyInTheBackground() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Thread first = WarmUp.inBackgroundOnce("warm-up-test", "warm-up-test", runs::incrementAndGet,
                () -> {
                    throw new IllegalStateException("a failing step is skipped");
                }, runs::incrementAndGet);
        assertThat(first).isNotNull();
        first.join(10_000);
        assertThat(runs).hasValue(2);
        assertThat(WarmUp.inBackgroundOnce("warm-up-test", "warm-up-test", runs::incrementAndGet)).isNull();
    }
}
