package io.raftx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peer links that the test can cut, on any Linux machine and without root: transport-level partitions.
 *
 * <p>Node {@code k} is reached at host name {@code h<k>}. Each node JVM resolves host names through its own hosts
 * file ({@code -Djdk.net.hosts.file}): to itself {@code h<k>} is 127.0.0.1, where it listens; to node {@code i},
 * {@code h<k>} is 127.1.i.k, where a {@link LinkProxy} for the link i → k relays to the real port. So every node,
 * including one added later through a membership change (whose address all members then share), reaches every peer
 * over its own link, and partitions are per directed link. All of 127.0.0.0/8 is loopback on Linux.
 */
final class PeerNetwork implements AutoCloseable {

    /** Node numbers are one octet of the link address. */
    static final int MAX_NODES = 250;

    private final Path dir;
    private final Map<Integer, Integer> peerPorts = new ConcurrentHashMap<>();
    private final Map<String, LinkProxy> links = new ConcurrentHashMap<>();
    private final AtomicLong droppedBytes = new AtomicLong();

    PeerNetwork(Path dir) {
        this.dir = dir;
    }

    static String describe() {
        return "transport-level partitions: a TCP relay per directed peer link in the test JVM, black-holed to cut "
                + "(no iptables needed)";
    }

    /** Registers node {@code k} listening on {@code peerPort}; returns the JVM option that gives it its hosts file. */
    synchronized String register(int k, int peerPort) {
        if (k < 1 || k > MAX_NODES) {
            throw new IllegalArgumentException("node number " + k + " outside 1.." + MAX_NODES);
        }
        peerPorts.put(k, peerPort);
        for (int other : peerPorts.keySet()) {
            if (other != k) {
                link(k, other);
                link(other, k);
            }
        }
        Path hosts = dir.resolve("hosts-" + k);
        List<String> lines = new ArrayList<>();
        for (int j = 1; j <= MAX_NODES; j++) {
            lines.add((j == k ? "127.0.0.1" : linkIp(k, j)) + " " + host(j));
        }
        try {
            Files.createDirectories(dir);
            Files.write(hosts, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "-Djdk.net.hosts.file=" + hosts.toAbsolutePath();
    }

    static String host(int k) {
        return "h" + k;
    }

    private static String linkIp(int from, int to) {
        return "127.1." + from + "." + to;
    }

    private void link(int from, int to) {
        int port = peerPorts.get(to);
        try {
            links.put(from + ">" + to, new LinkProxy(from + ">" + to, LinkProxy.loopback(linkIp(from, to), port),
                    new InetSocketAddress("127.0.0.1", port), droppedBytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot relay link " + from + " -> " + to + " on " + linkIp(from, to)
                    + ":" + port, e);
        }
    }

    /** Cuts every link between the two sides, both directions. */
    void split(Set<Integer> side, Set<Integer> otherSide) {
        for (int a : side) {
            for (int b : otherSide) {
                links.get(a + ">" + b).blackHole();
                links.get(b + ">" + a).blackHole();
            }
        }
    }

    void healAll() {
        links.values().forEach(LinkProxy::heal);
    }

    long droppedBytes() {
        return droppedBytes.get();
    }

    @Override
    public void close() {
        links.values().forEach(LinkProxy::close);
        links.clear();
    }

    @Override
    public String toString() {
        return "PeerNetwork" + new TreeMap<>(peerPorts);
    }
}
