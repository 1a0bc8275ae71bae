package io.raftx.transport;

/** Receives messages of a protocol that runs beside Raft (see {@link ExtensionMessaging#sendExtension}). */
@FunctionalInterface
public interface ExtensionHandler {
    void onExtension(String channel, String from, byte[] payload);
}
