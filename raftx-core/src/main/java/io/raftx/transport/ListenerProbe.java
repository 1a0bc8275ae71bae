package io.raftx.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Asks whether anything still listens at a peer's address, with one plain TCP connect. A broken stream alone does not
 * tell a dead peer from a live one whose connection broke; a refused connect does: no process listens on that port
 * (a killed process's operating system answers with a reset). A connect that times out or fails otherwise (a paused
 * or unreachable host, a cut network) tells nothing and is not reported. At most one probe per peer at a time, on one
 * daemon thread.
 */
final class ListenerProbe implements AutoCloseable {

    private final int timeoutMillis;
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private final ExecutorService thread;

    ListenerProbe(String nodeId, int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftx-probe-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code onRefused} (on the probe thread) if a connection to {@code address} is refused. */
    void probe(String peer, PeerAddress address, Runnable onRefused) {
        if (!probing.add(peer)) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    if (refused(address)) {
                        onRefused.run();
                    }
                } finally {
                    probing.remove(peer);
                }
            });
        } catch (RejectedExecutionException closing) {
            probing.remove(peer);
        }
    }

    /**
     * Runs one probe of this node's own listening address in the background, its answer ignored. A just-started JVM
     * otherwise loads and interprets the socket classes during its first real probe: about 50 ms measured on a loaded
     * 2-core machine, at the moment a dead leader is being replaced.
     */
    void warmUp(PeerAddress self) {
        String host = isWildcard(self.host()) ? InetAddress.getLoopbackAddress().getHostAddress() : self.host();
        try {
            thread.execute(() -> refused(new PeerAddress(host, self.port())));
        } catch (RejectedExecutionException closing) {
            // closed before it started
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private boolean refused(PeerAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // timed out, no route, unresolved: nothing certain
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
