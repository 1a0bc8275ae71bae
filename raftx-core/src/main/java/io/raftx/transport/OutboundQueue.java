package io.raftx.transport;

import io.raftx.raft.Entry;
import io.raftx.raft.Message;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages waiting for one peer's replication stream, bounded by count ({@code maxQueuedMessages}) and by bytes
 * ({@code maxQueuedBytes}). Offered from any thread without blocking; polled by the peer thread.
 */
final class OutboundQueue {

    /** Bytes counted per message beside its payload (the message's other fields and framing, roughly). */
    static final int OVERHEAD_BYTES = 64;

    /**
     * A queued Raft message or extension message; encoded on the peer thread, not the caller's. {@code bytes} is an
     * estimate taken before encoding (payloads plus {@link #OVERHEAD_BYTES}), which is what the byte bound counts.
     */
    record Outbound(Message raft, String channel, byte[] payload, long bytes) {

        static Outbound raft(Message m) {
            long bytes = OVERHEAD_BYTES;
            for (Entry e : m.entries()) {
                bytes += e.sizeBytes();
            }
            return new Outbound(m, null, null, bytes);
        }

        static Outbound extension(String channel, byte[] payload) {
            return new Outbound(null, channel, payload, OVERHEAD_BYTES + channel.length() + payload.length);
        }
    }

    private final long maxBytes;
    private final BlockingQueue<Outbound> queue;
    private final AtomicLong bytes = new AtomicLong();

    OutboundQueue(int maxMessages, long maxBytes) {
        this.maxBytes = maxBytes;
        this.queue = new ArrayBlockingQueue<>(maxMessages);
    }

    /**
     * Queues within both bounds, or returns which one refused. A message alone in the queue is always admitted by
     * the byte bound, so one larger than it is not stuck (maxMessageBytes, checked at encoding, still applies).
     */
    DropReason offer(Outbound o) {
        long after = bytes.addAndGet(o.bytes());
        if (after > maxBytes && after != o.bytes()) {
            bytes.addAndGet(-o.bytes());
            return DropReason.QUEUE_BYTES_FULL;
        }
        if (!queue.offer(o)) {
            bytes.addAndGet(-o.bytes());
            return DropReason.QUEUE_FULL;
        }
        return null;
    }

    /** The next message, its bytes released from the bound; null if none. */
    Outbound poll() {
        Outbound o = queue.poll();
        if (o != null) {
            bytes.addAndGet(-o.bytes());
        }
        return o;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes.get();
    }

    /** Empties the queue; returns how many messages it held. */
    int clear() {
        int discarded = 0;
        while (poll() != null) {
            discarded++;
        }
        return discarded;
    }
}
