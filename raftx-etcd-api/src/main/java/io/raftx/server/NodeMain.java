package io.raftx.server;

import io.raftx.storage.DataDirIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one standalone RaftX node until killed:
 * <pre>
 * java -cp ... io.raftx.server.NodeMain --id=n1 --address=127.0.0.1:7101 --client-address=127.0.0.1:2379 \
 *     --data-dir=./data/n1 --members=n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103 --token=...
 * </pre>
 * Prints {@code READY} on stdout once started.
 */
public final class NodeMain {

    /** Exit status when the data directory belongs to another node or cluster (sysexits' EX_CONFIG). */
    static final int EXIT_FOREIGN_DATA_DIR = 78;

    private NodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> o = options(args);
        ServerSettings settings = settings(o);
        Long quota = quotaBackendBytes(o);
        RaftxServer server;
        try {
            server = new RaftxServer(settings).withEtcdSettings(etcd -> quota == null ? etcd
                    : etcd.withQuotaBackendBytes(quota)).start();
        } catch (DataDirIdentity.ForeignDataDirectoryException e) {
            System.err.println("node " + settings.nodeId() + " cannot start: " + e.getMessage());
            System.exit(EXIT_FOREIGN_DATA_DIR);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("READY " + settings.nodeId());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The settings named by {@code --name=value} arguments; on bad input prints what was wrong and exits with 2. */
    static ServerSettings settings(String[] args) {
        return settings(options(args));
    }

    /** {@code --name=value} arguments by name; on a malformed one prints what was wrong and exits with 2. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 3) {
                usage("bad argument '" + a + "'");
            }
            o.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return o;
    }

    /** {@code --quota-backend-bytes}, or null for the default; on bad input prints what was wrong and exits with 2. */
    private static Long quotaBackendBytes(Map<String, String> o) {
        String value = o.get("quota-backend-bytes");
        if (value == null) {
            return null;
        }
        long quota;
        try {
            quota = Long.parseLong(value);
        } catch (NumberFormatException e) {
            usage("--quota-backend-bytes must be a number of bytes, got '" + value + "'");
            throw e; // not reached: usage exits
        }
        if (quota < 1) {
            usage("--quota-backend-bytes must be at least 1 byte, got " + quota);
        }
        return quota;
    }

    private static ServerSettings settings(Map<String, String> o) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String pair : o.getOrDefault("members", "").split(",")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    usage("bad member '" + pair + "': use id=host:port");
                }
                members.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        try {
            return new ServerSettings(required(o, "id"), required(o, "address"), o.get("client-address"),
                    Path.of(required(o, "data-dir")), members, required(o, "token"),
                    Duration.ofMillis(Long.parseLong(o.getOrDefault("tick-ms", "50"))));
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            throw e; // not reached: usage exits
        }
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            usage("--" + name + " is required");
        }
        return v;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: NodeMain --id=ID --address=HOST:PORT --data-dir=DIR --token=SECRET"
                + " [--members=id=host:port,...] [--client-address=HOST:PORT] [--tick-ms=50]"
                + " [--quota-backend-bytes=2147483648]");
        System.exit(2);
    }
}
