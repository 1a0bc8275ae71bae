package io.raftx.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads and links a module's classes in the background after start, so that code a node first runs
 * mid-failover (the leader's paths, on a node that has only followed so far) does not load classes then. Measured in
 * node processes under load: a follower's first loop pass as leader took 130-370 ms, loading some 90 classes and
 * lambdas one by one on a CPU-starved JVM while the cluster waited for its first append. Best effort: anything that
 * cannot be listed, loaded or linked is skipped (logged at debug); nothing depends on it having run.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private WarmUp() {
    }

    /**
     * Runs {@code steps} in order on a daemon thread, the first time this process asks for {@code key} (later nodes
     * in the same JVM find the work done); returns the thread, or null if it ran before.
     */
    public static Thread inBackgroundOnce(String key, String threadName, Runnable... steps) {
        if (!STARTED.add(key)) {
            return null;
        }
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            for (Runnable step : steps) {
                try {
                    step.run();
                } catch (RuntimeException | LinkageError e) {
                    log.debug("warm-up step failed; skipped", e);
                }
            }
            log.debug("{} done in {} ms", threadName, (System.nanoTime() - start) / 1_000_000);
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Loads and links every class under {@code packagePath} (such as {@code "io/raftx/"}) in the jar or directory
     * that {@code anchor} was loaded from, with {@code anchor}'s class loader. Returns how many were linked. Classes
     * are not initialized: no static initializer runs here, so none can deadlock with the node's threads.
     */
    public static int preloadClasses(Class<?> anchor, String packagePath) {
        int loaded = 0;
        int failed = 0;
        for (String name : classNames(anchor, packagePath)) {
            try {
                Class.forName(name, false, anchor.getClassLoader()).getDeclaredConstructors(); // links (verifies)
                loaded++;
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                failed++; // an optional dependency that is absent, say: that code cannot run here anyway
            }
        }
        log.debug("preloaded {} classes under {} ({} skipped)", loaded, packagePath, failed);
        return loaded;
    }

    /** The binary names of the classes under {@code packagePath} beside {@code anchor}; empty if not enumerable. */
    static List<String> classNames(Class<?> anchor, String packagePath) {
        String self = anchor.getName().replace('.', '/') + ".class";
        URL url = anchor.getClassLoader().getResource(self);
        if (url == null) {
            return List.of();
        }
        try {
            if ("file".equals(url.getProtocol())) {
                Path file = Path.of(url.toURI());
                Path root = file;
                for (int i = 0; i < self.split("/").length; i++) {
                    root = root.getParent();
                }
                return fromDirectory(root, packagePath);
            }
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(true); // the class loader's own open jar; closing it is not ours to do
                return fromJar(jar.getJarFile(), packagePath);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            log.debug("cannot list the classes beside {}", anchor.getName(), e);
        }
        return List.of();
    }

    private static List<String> fromDirectory(Path root, String packagePath) throws IOException {
        Path dir = root.resolve(packagePath);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(root::relativize).map(p -> p.toString().replace('\\', '/'))
                    .filter(WarmUp::isClass).map(WarmUp::binaryName).sorted().toList();
        }
    }

    private static List<String> fromJar(JarFile jar, String packagePath) {
        List<String> names = new ArrayList<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            if (e.getName().startsWith(packagePath) && isClass(e.getName())) {
                names.add(binaryName(e.getName()));
            }
        }
        Collections.sort(names);
        return names;
    }

    private static boolean isClass(String path) {
        return path.endsWith(".class") && !path.endsWith("module-info.class") && !path.endsWith("package-info.class");
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
