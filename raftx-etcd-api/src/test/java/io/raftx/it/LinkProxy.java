package io.raftx.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of one peer link (node A's connections to node B) through a TCP relay in the test process, so that
 * the test can black-hole it: while black-holed, bytes in both directions of every connection are read and thrown
 * away (the sender sees no error, only silence, as with a dropped route); new connections are accepted and get the
 * same silence. Healing closes the connections that lost bytes (their streams are corrupt) so the peers reconnect.
 */
final class LinkProxy implements AutoCloseable {

    private final String name;
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedBytes;
    private volatile boolean blackHoled;

    LinkProxy(String name, InetSocketAddress listen, InetSocketAddress target, AtomicLong droppedBytes)
            throws IOException {
        this.name = name;
        this.target = target;
        this.droppedBytes = droppedBytes;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(listen);
        Thread acceptor = new Thread(this::acceptLoop, "link-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void blackHole() {
        blackHoled = true;
        // Bytes already read from a peer and in flight inside a relay are what a real network would also lose.
    }

    void heal() {
        blackHoled = false;
        relays.removeIf(r -> {
            if (r.lostBytes) {
                r.close();
                return true;
            }
            return false;
        });
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket in;
            try {
                in = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket out = new Socket();
            try {
                out.connect(target, 2_000);
            } catch (IOException e) {
                // The node is down: refuse the way it would itself.
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            Relay relay = new Relay(in, out);
            relays.add(relay);
            relay.start();
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        relays.forEach(Relay::close);
        relays.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort; the socket is unusable either way
        }
    }

    /** Both directions of one proxied connection. */
    private final class Relay {
        private final Socket a;
        private final Socket b;
        private volatile boolean lostBytes;

        Relay(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void start() {
            pump(a, b, "->");
            pump(b, a, "<-");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        if (blackHoled || lostBytes) {
                            lostBytes = true;
                            droppedBytes.addAndGet(n);
                        } else {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException ignored) {
                    // one side closed or reset: end the whole connection, as a direct one would
                }
                close();
                relays.remove(this);
            }, "link-" + name + direction);
            t.setDaemon(true);
            t.start();
        }

        void close() {
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    static InetSocketAddress loopback(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (IOException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
