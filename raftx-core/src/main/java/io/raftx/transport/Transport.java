package io.raftx.transport;
import io.raftx.raft.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
public interface Transport extends AutoCloseable {
    void start(MessageHandler handler, ForwardHandler forwardHandler);
    void send(Message m);
    CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout);
    void updatePeers(Map<String, String> idToAddress);
    @Override void close();
}
