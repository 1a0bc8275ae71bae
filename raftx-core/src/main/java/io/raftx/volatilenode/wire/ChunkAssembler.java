package io.raftx.volatilenode.wire;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reassembles CHUNK frames (any order, duplicates ignored) into the frame they were cut from. Memory is bounded:
 * at most {@code maxPartialPerPeer} incomplete frames per sender (a newer one evicts the oldest — the sender
 * retries whole frames, so an old partial one is likely superseded) and each at most {@code maxFrameBytes};
 * incomplete frames that see no new chunk for {@code staleTicks} ticks are dropped. Not thread-safe.
 */
public final class ChunkAssembler {

    private final int maxFrameBytes;
    private final int maxPartialPerPeer;
    private final int staleTicks;
    private final Map<String, Deque<Partial>> byPeer = new HashMap<>();
    private long now;
    private long dropped;

    private static final class Partial {
        final long transferId;
        final byte[][] parts;
        final int totalLength;
        int received;
        int receivedBytes;
        long lastProgress;

        Partial(long transferId, int count, int totalLength, long now) {
            this.transferId = transferId;
            this.parts = new byte[count][];
            this.totalLength = totalLength;
            this.lastProgress = now;
        }
    }

    public ChunkAssembler(int maxFrameBytes, int maxPartialPerPeer, int staleTicks) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxPartialPerPeer = maxPartialPerPeer;
        this.staleTicks = staleTicks;
    }

    /**
     * Takes the body of one CHUNK frame from {@code from}; returns the whole frame once its last chunk arrived,
     * else null.
     *
     * @throws MalformedFrameException if the chunk is malformed or contradicts earlier chunks of its frame
     */
    public byte[] offer(String from, byte[] chunkBody) {
        FrameChunker.Chunk c = FrameChunker.decode(chunkBody, maxFrameBytes);
        Deque<Partial> partials = byPeer.computeIfAbsent(from, k -> new ArrayDeque<>());
        Partial p = find(partials, c.transferId());
        if (p == null) {
            p = new Partial(c.transferId(), c.count(), c.totalLength(), now);
            partials.addLast(p);
            while (partials.size() > maxPartialPerPeer) {
                partials.removeFirst();
                dropped++;
            }
        } else if (p.parts.length != c.count() || p.totalLength != c.totalLength()) {
            partials.remove(p);
            dropped++;
            throw new MalformedFrameException("chunk " + c.index() + " of transfer " + c.transferId() + " from " + from
                    + " contradicts earlier chunks (count or length differ)");
        }
        if (p.parts[c.index()] != null) {
            return null; // duplicate
        }
        if (p.receivedBytes + c.data().length > p.totalLength) {
            partials.remove(p);
            dropped++;
            throw new MalformedFrameException("chunks of transfer " + c.transferId() + " from " + from
                    + " exceed the announced length " + p.totalLength);
        }
        p.parts[c.index()] = c.data();
        p.received++;
        p.receivedBytes += c.data().length;
        p.lastProgress = now;
        if (p.received < p.parts.length) {
            return null;
        }
        partials.remove(p);
        if (p.receivedBytes != p.totalLength) {
            dropped++;
            throw new MalformedFrameException("transfer " + c.transferId() + " from " + from + " assembled to "
                    + p.receivedBytes + " bytes, announced " + p.totalLength);
        }
        byte[] frame = new byte[p.totalLength];
        int at = 0;
        for (byte[] part : p.parts) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        return frame;
    }

    /** One tick: drops incomplete frames that stopped progressing. */
    public void tick() {
        now++;
        for (Deque<Partial> partials : byPeer.values()) {
            Iterator<Partial> it = partials.iterator();
            while (it.hasNext()) {
                if (now - it.next().lastProgress > staleTicks) {
                    it.remove();
                    dropped++;
                }
            }
        }
    }

    /** Incomplete frames given up on (evicted, stale or contradictory). */
    public long droppedCount() {
        return dropped;
    }

    public int partialCount() {
        return byPeer.values().stream().mapToInt(Deque::size).sum();
    }

    private static Partial find(Deque<Partial> partials, long transferId) {
        for (Partial p : partials) {
            if (p.transferId == transferId) {
                return p;
            }
        }
        return null;
    }
}
