package io.raftx.node;

/**
 * A protocol that runs beside Raft on a node's event loop and talks to the same peers through the transport (the
 * volatile keyspace is one). Every callback runs on the loop thread, so an extension needs no locking against the
 * node; it must not block.
 */
public interface LoopExtension {

    /** The transport channel its messages travel on; unique per node. */
    String channel();

    /** Called once, on the loop thread, before any other callback. */
    void onStart(Context context);

    /** Every tick of the node's logical clock. */
    void onTick();

    /** After every batch of work, with the node's current status (cheap: compare and return if nothing changed). */
    void onStatus(NodeStatus status);

    /** A message from peer {@code from} on this extension's channel. */
    void onMessage(String from, byte[] payload);

    /** The node stops; pending work should be failed. */
    void onStop();

    /** What an extension may do with its node. */
    interface Context {
        String nodeId();

        /** Sends to a peer on this extension's channel (best effort, never blocks). */
        void send(String to, byte[] payload);

        /** Runs {@code task} on the loop thread (from any thread). */
        void execute(Runnable task);
    }
}
