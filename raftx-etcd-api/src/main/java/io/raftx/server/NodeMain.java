package io.raftx.server;

import io.raftx.etcd.EtcdCredentials;
import io.raftx.snapshot.BackupFile;
import io.raftx.snapshot.SnapshotSettings;
import io.raftx.storage.DataDirIdentity;
import io.raftx.storage.ForceNewCluster;
import io.raftx.transport.TransportConfig;
import io.raftx.transport.TransportTlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs one standalone RaftX node until killed:
 * <pre>
 * java -cp ... io.raftx.server.NodeMain --id=n1 --address=127.0.0.1:7101 --client-address=127.0.0.1:2379 \
 *     --data-dir=./data/n1 --members=n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103 --token=...
 * </pre>
 * The TLS files (PEM; the key unencrypted PKCS#8) serve mutual TLS between peers and TLS on the client port; the
 * etcd user and the password (first line of the file) are what etcd clients authenticate with.
 * Prints {@code READY} on stdout once started. With a command first, it runs that and exits (0 when done, 1 when
 * refused or failed, with the reason on stderr, 2 for a usage error):
 * {@code backup} ({@link BackupCommand}), {@code restore} ({@link RestoreCommand}), {@code force-new-cluster}
 * ({@link ForceNewClusterCommand}).
 */
public final class NodeMain {

    /** Exit status when the data directory belongs to another node or cluster (sysexits' EX_CONFIG). */
    static final int EXIT_FOREIGN_DATA_DIR = 78;
    static final int EXIT_REFUSED = 1;
    static final int EXIT_USAGE = 2;
    /** Exit status when the configuration cannot be served safely (e.g. an open etcd API beyond loopback). */
    static final int EXIT_CONFIG = 2;

    private static final String USAGE = """
            usage: NodeMain --id=ID --address=HOST:PORT --data-dir=DIR --token=SECRET [--members=id=host:port,...]
                            [--client-address=HOST:PORT] [--tick-ms=50] [--cluster-id=raftx]
                            [--quota-backend-bytes=2147483648] [--max-inbound-bytes=67108864]
                            [--snapshot-count=100000]
                            [--tls-cert=PEM --tls-key=PEM --tls-ca=PEM]
                            [--etcd-user=NAME --etcd-password-file=FILE]
                   NodeMain backup --endpoint=CLIENT-HOST:PORT --out=FILE
                   NodeMain restore --backup=FILE --id=ID --data-dir=DIR --cluster-id=NEW-ID \
            --members=id=host:port,... [--expect-cluster=OLD-ID]
                   NodeMain force-new-cluster --id=ID --address=HOST:PORT --data-dir=DIR \
            [--survivors=CLIENT-HOST:PORT,...] [--confirm-behind]""";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "start";
        CommandArguments arguments;
        try {
            arguments = new CommandArguments(args, command.equals("start") ? 0 : 1);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        switch (command) {
            case "start" -> start(arguments);
            case "backup" -> runCommand(command, () -> describe("wrote", BackupCommand.run(arguments)));
            case "restore" -> runCommand(command, () -> describe("restored " + arguments.required("id") + " into "
                    + arguments.required("data-dir") + " from the", RestoreCommand.run(arguments)));
            case "force-new-cluster" -> runCommand(command, () -> {
                ForceNewCluster.LogState before = ForceNewClusterCommand.run(arguments, System.err);
                return "node " + arguments.required("id") + " forced into a one-member cluster (it held "
                        + before.describe() + ")";
            });
            default -> usage("unknown command '" + command + "'");
        }
    }

    private static void start(CommandArguments o) throws InterruptedException {
        ServerSettings settings = settings(o);
        Long quota = positiveBytes(o, "quota-backend-bytes");
        RaftxServer server;
        try {
            server = new RaftxServer(settings).withEtcdSettings(etcd -> quota == null ? etcd
                    : etcd.withQuotaBackendBytes(quota)).start();
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

    /** The start settings named by {@code --name=value} arguments; on bad input prints what was wrong and exits with 2. */
    static ServerSettings settings(String[] args) {
        try {
            return settings(new CommandArguments(args, 0));
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            throw e; // not reached: usage exits
        }
    }

    private static ServerSettings settings(CommandArguments o) {
        try {
            return new ServerSettings(o.required("id"), o.required("address"), o.optional("client-address", null),
                    Path.of(o.required("data-dir")), o.members("members"), o.required("token"),
                    Duration.ofMillis(Long.parseLong(o.optional("tick-ms", "50"))),
                    o.optional("cluster-id", TransportConfig.DEFAULT_CLUSTER_ID), tls(o), credentials(o),
                    Objects.requireNonNullElse(positiveBytes(o, "max-inbound-bytes"),
                            TransportConfig.DEFAULT_MAX_INBOUND_BYTES),
                    Objects.requireNonNullElse(positive(o, "snapshot-count", "entries", "entry"),
                            SnapshotSettings.DEFAULTS.threshold()));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            usage(e.getMessage());
            throw e; // not reached: usage exits
        }
    }

    private static TransportTlsConfig tls(CommandArguments o) {
        String cert = o.optional("tls-cert", null);
        String key = o.optional("tls-key", null);
        String ca = o.optional("tls-ca", null);
        if (cert == null && key == null && ca == null) {
            return null;
        }
        if (cert == null || key == null || ca == null) {
            throw new IllegalArgumentException("TLS needs all three of --tls-cert, --tls-key and --tls-ca");
        }
        return new TransportTlsConfig(Path.of(cert), Path.of(key), Path.of(ca));
    }

    private static EtcdCredentials credentials(CommandArguments o) {
        String user = o.optional("etcd-user", null);
        String passwordFile = o.optional("etcd-password-file", null);
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

    /** {@code --name}: a number of bytes, or null for the default; on bad input prints what was wrong and exits with 2. */
    private static Long positiveBytes(CommandArguments o, String name) {
        return positive(o, name, "bytes", "byte");
    }

    /** {@code --name}: a positive number of {@code unit}, or null for the default; bad input: usage, exit 2. */
    private static Long positive(CommandArguments o, String name, String unit, String oneUnit) {
        String value = o.optional(name, null);
        if (value == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            usage("--" + name + " must be a number of " + unit + ", got '" + value + "'");
            throw e; // not reached: usage exits
        }
        if (n < 1) {
            usage("--" + name + " must be at least 1 " + oneUnit + ", got " + n);
        }
        return n;
    }

    @FunctionalInterface
    private interface Command {
        String run() throws Exception;
    }

    private static void runCommand(String name, Command command) {
        try {
            System.out.println(command.run());
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            boolean usage = e instanceof IllegalArgumentException && e.getMessage() != null
                    && e.getMessage().endsWith(" is required");
            System.err.println(name + " refused: " + e.getMessage());
            if (usage) {
                System.err.println(USAGE);
            }
            System.exit(usage ? EXIT_USAGE : EXIT_REFUSED);
        }
    }

    private static String describe(String what, BackupFile backup) {
        return what + " " + backup.describe();
    }

    private static void usage(String problem) {
        System.err.println(problem + "\n" + USAGE);
        System.exit(EXIT_USAGE);
    }
}
