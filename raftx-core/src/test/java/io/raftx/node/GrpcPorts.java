package io.raftx.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests that run real servers.
 *
 * <p>A port the kernel hands out for {@code new ServerSocket(0)} comes from the ephemeral range, the same range it
 * draws the local ports of outgoing connections from: between closing the probe and binding the server, a client
 * connection elsewhere in the test can take it ("Address already in use"). So ports are drawn at random from below
 * the ephemeral range, checked bindable, and never handed out twice in one JVM.
 */
public final class GrpcPorts {

    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private GrpcPorts() {
    }

    public static int free() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + (below - 1) + " after 1,000 tries");
    }

    private static boolean bindable(int port) {
        try (ServerSocket any = new ServerSocket();
                ServerSocket loopback = new ServerSocket()) {
            any.bind(new InetSocketAddress(port));
            any.close();
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Linux publishes its ephemeral range; elsewhere assume the IANA one's start. */
    private static int ephemeralRangeStart() {
        try {
            // line-wise: Files.readString on this proc file returned only its first byte (JDK 17)
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 49_152;
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
