package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.MessageHandler;
import io.raftx.transport.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An in-JVM transport for runtime tests: every node of a {@link Hub} reaches the others directly. */
final class LocalTransport implements Transport {

    static final class Hub {
        final Map<String, LocalTransport> nodes = new ConcurrentHashMap<>();
        final Set<String> isolated = ConcurrentHashMap.newKeySet();
        final ExecutorService executor = Executors.newCachedThreadPool();

        LocalTransport join(String id) {
            return new LocalTransport(this, id);
        }

        boolean connected(String a, String b) {
            return !isolated.contains(a) && !isolated.contains(b);
        }
    }

    private final Hub hub;
    private final String id;
    private volatile MessageHandler handler;
    private volatile ForwardHandler forwardHandler;

    private LocalTransport(Hub hub, String id) {
        this.hub = hub;
        this.id = id;
    }

    @Override
    public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        this.handler = handler;
        this.forwardHandler = forwardHandler;
        hub.nodes.put(id, this);
    }

    @Override
    public void send(Message m) {
        LocalTransport to = hub.nodes.get(m.to());
        if (to != null && hub.connected(id, m.to())) {
            try {
                to.handler.onMessage(m);
            } catch (RuntimeException stopped) {
                // the receiver is shutting down: a lost message, which Raft tolerates
            }
        }
    }

    @Override
    public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
        LocalTransport target = hub.nodes.get(to);
        if (target == null || !hub.connected(id, to)) {
            return CompletableFuture.failedFuture(new IllegalStateException(to + " unreachable"));
        }
        return CompletableFuture.supplyAsync(() -> target.forwardHandler.onForward(id, command), hub.executor)
                .thenCompose(f -> f);
    }

    @Override
    public void updatePeers(Map<String, String> idToAddress) {
    }

    @Override
    public void close() {
        hub.nodes.remove(id, this);
    }
}
