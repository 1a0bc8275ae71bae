package io.raftx.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay to one port that can die the way a killed process does ({@link TransportWarmUp}): its
 * connections are reset (no HTTP/2 goodbye, unlike a transport that closes) and new ones are refused.
 */
final class DyingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    DyingRelay(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        daemon("raftx-warm-up-relay", this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket in = listener.accept();
                Socket out = new Socket();
                sockets.add(in);
                sockets.add(out);
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 1_000);
                daemon("raftx-warm-up-relay-in", () -> pump(in, out));
                daemon("raftx-warm-up-relay-out", () -> pump(out, in));
            }
        } catch (IOException closed) {
            // died
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException reset) {
            // died
        }
    }

    /** Resets every connection (SO_LINGER 0) and stops listening: what the peer's operating system does to a kill. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
