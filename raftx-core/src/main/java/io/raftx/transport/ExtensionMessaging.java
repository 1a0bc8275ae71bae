package io.raftx.transport;

/** A {@link Transport} that also carries the messages of protocols that run beside Raft, by channel name. */
public interface ExtensionMessaging {

    /** Registers the handler for messages on {@code channel}; call before {@link Transport#start}. */
    void onExtension(String channel, ExtensionHandler handler);

    /**
     * Sends a message on {@code channel} to member {@code to}, best effort like {@link Transport#send}: never blocks,
     * drops are counted. Delivered to the receiver's {@link ExtensionHandler} for {@code channel}.
     */
    void sendExtension(String to, String channel, byte[] payload);
}
