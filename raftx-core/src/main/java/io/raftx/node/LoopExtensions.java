package io.raftx.node;

import io.raftx.transport.ExtensionMessaging;
import io.raftx.transport.Transport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link LoopExtension}s of a node: wired to the transport at start, then driven from the loop. */
final class LoopExtensions {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    private final List<LoopExtension> extensions = new CopyOnWriteArrayList<>();

    void add(LoopExtension extension) {
        extensions.add(extension);
    }

    /** The extensions, in the order they were added (for the membership gates among them). */
    List<LoopExtension> all() {
        return extensions;
    }

    /**
     * Registers each extension's channel with the transport and starts it. {@code toLoop} runs a task on the loop
     * thread (throwing {@link ShutdownException} once the node stops); messages that arrive while it stops go to
     * {@code toLoopQuietly}, which drops them, as a lost message.
     *
     * @throws IllegalStateException if there are extensions and the transport cannot carry their messages
     */
    void start(String nodeId, Transport transport, Consumer<Runnable> toLoop, Consumer<Runnable> toLoopQuietly) {
        if (extensions.isEmpty()) {
            return;
        }
        if (!(transport instanceof ExtensionMessaging messaging)) {
            throw new IllegalStateException("node " + nodeId + " has extensions " + extensions.stream()
                    .map(LoopExtension::channel).toList() + ", but its transport " + transport.getClass().getSimpleName()
                    + " cannot carry extension messages: use a transport that implements ExtensionMessaging");
        }
        for (LoopExtension ext : extensions) {
            messaging.onExtension(ext.channel(), (channel, from, payload) ->
                    toLoopQuietly.accept(() -> ext.onMessage(from, payload)));
            ext.onStart(new LoopExtension.Context() {
                @Override
                public String nodeId() {
                    return nodeId;
                }

                @Override
                public void send(String to, byte[] payload) {
                    messaging.sendExtension(to, ext.channel(), payload);
                }

                @Override
                public void execute(Runnable task) {
                    toLoop.accept(task);
                }
            });
        }
    }

    void onTick() {
        extensions.forEach(LoopExtension::onTick);
    }

    void onStatus(NodeStatus status) {
        for (LoopExtension ext : extensions) {
            ext.onStatus(status);
        }
    }

    void stop() {
        for (LoopExtension ext : extensions) {
            try {
                ext.onStop();
            } catch (RuntimeException e) {
                log.warn("extension {} failed to stop cleanly", ext.channel(), e);
            }
        }
    }
}
