package io.raftx.server;

import io.raftx.etcd.EtcdCredentials;
import io.raftx.storage.DataDirIdentity;
import io.raftx.transport.TransportTlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one standalone RaftX node until killed:
 * <pre>
 * java -cp ... io.raftx.server.NodeMain --id=n1 --address=127.0.0.1:7101 --client-address=127.0.0.1:2379 \
 *     --data-dir=./data/n1 --members=n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103 --token=... \
 *     [--tls-cert=node.pem --tls-key=node.key --tls-ca=ca.pem] [--etcd-user=root --etcd-password-file=secret]
 * </pre>
 * The TLS files (PEM; the key unencrypted PKCS#8) serve mutual TLS between peers and TLS on the client port; the
 * etcd user and the password (first line of the file) are what etcd clients authenticate with.
 * Prints {@code READY} on stdout once started.
 */
public final class NodeMain {

    /** Exit status when the data directory belongs to another node or cluster (sysexits' EX_CONFIG). */
    static final int EXIT_FOREIGN_DATA_DIR = 78;
    /** Exit status when the configuration cannot be served safely (e.g. an open etcd API beyond loopback). */
    static final int EXIT_CONFIG = 2;

    private NodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 3) {
                usage("bad argument '" + a + "'");
            }
            o.put(a.substring(2, eq), a.substring(eq + 1));
        }
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
        ServerSettings settings;
        try {
            settings = new ServerSettings(required(o, "id"), required(o, "address"), o.get("client-address"),
                    Path.of(required(o, "data-dir")), members, required(o, "token"),
                    Duration.ofMillis(Long.parseLong(o.getOrDefault("tick-ms", "50"))), tls(o), credentials(o));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            usage(e.getMessage());
            return;
        }
        RaftxServer server;
        try {
            server = new RaftxServer(settings).start();
        } catch (DataDirIdentity.ForeignDataDirectoryException e) {
            System.err.println("node " + settings.nodeId() + " cannot start: " + e.getMessage());
            System.exit(EXIT_FOREIGN_DATA_DIR);
            return;
        } catch (IllegalStateException e) {
            System.err.println("node " + settings.nodeId() + " cannot start: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("READY " + settings.nodeId());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static TransportTlsConfig tls(Map<String, String> o) {
        String cert = o.get("tls-cert");
        String key = o.get("tls-key");
        String ca = o.get("tls-ca");
        if (cert == null && key == null && ca == null) {
            return null;
        }
        if (cert == null || key == null || ca == null) {
            throw new IllegalArgumentException("TLS needs all three of --tls-cert, --tls-key and --tls-ca");
        }
        return new TransportTlsConfig(Path.of(cert), Path.of(key), Path.of(ca));
    }

    private static EtcdCredentials credentials(Map<String, String> o) {
        String user = o.get("etcd-user");
        String passwordFile = o.get("etcd-password-file");
        if (user == null && passwordFile == null) {
            return null;
        }
        if (user == null || passwordFile == null) {
            throw new IllegalArgumentException("etcd client authentication needs both --etcd-user and"
                    + " --etcd-password-file");
        }
        try {
            String password = Files.readAllLines(Path.of(passwordFile)).stream().findFirst().orElse("");
            return new EtcdCredentials(user, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --etcd-password-file " + passwordFile + ": " + e, e);
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
                + " [--tls-cert=PEM --tls-key=PEM --tls-ca=PEM] [--etcd-user=NAME --etcd-password-file=FILE]");
        System.exit(2);
    }
}
