package io.raftx.node;

/**
 * The last {@code window} applied request ids and their outcomes, oldest first, for applying retries at most once.
 * A ring of primitive arrays with an open-addressing index (linear probing) rather than a linked hash map: that
 * held four objects per request for 100,000 requests, seconds at high load, and was a large share of what each
 * young collection had to copy. Not thread-safe: the loop owns it.
 */
final class RequestTable {

    private final int window;
    /** Ring of requests: request {@code i} (0 = oldest) is at slot {@code (head + i) % capacity}. */
    private long[] clients = new long[0];
    private long[] sequences = new long[0];
    private long[] indexes = new long[0];
    private byte[][] results = new byte[0][];
    private int head;
    private int size;
    /** Slot + 1 of the request whose hash leads here (0: empty); twice the ring's capacity, a power of two. */
    private int[] buckets = new int[0];

    RequestTable(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the request-id window must be at least 1, got " + window);
        }
        this.window = window;
    }

    int size() {
        return size;
    }

    /** The outcome recorded for {@code id}, or null. */
    Applied get(Command.RequestId id) {
        if (size == 0) {
            return null;
        }
        int mask = buckets.length - 1;
        for (int b = home(id.clientId(), id.sequence()); buckets[b] != 0; b = (b + 1) & mask) {
            int slot = buckets[b] - 1;
            if (clients[slot] == id.clientId() && sequences[slot] == id.sequence()) {
                return new Applied(indexes[slot], results[slot]);
            }
        }
        return null;
    }

    /** Records a request that is not in the table; the oldest one goes once the window is full. */
    void add(Command.RequestId id, Applied outcome) {
        if (size == window) {
            removeOldest();
        } else if (size == clients.length) {
            grow();
        }
        int slot = slot(size);
        clients[slot] = id.clientId();
        sequences[slot] = id.sequence();
        indexes[slot] = outcome.index();
        results[slot] = outcome.result();
        size++;
        index(slot);
    }

    /** The requests, oldest first: request {@code i} is {@code (clients[i], sequences[i])}. */
    record Contents(long[] clients, long[] sequences, long[] indexes, byte[][] results) {
    }

    /**
     * A copy of the table, oldest first, in a few array copies (a snapshot captures it on the loop; the results are
     * shared, they are immutable).
     */
    Contents copy() {
        return new Contents(ordered(clients, new long[size]), ordered(sequences, new long[size]),
                ordered(indexes, new long[size]), ordered(results, new byte[size][]));
    }

    /** Copies the {@code size} requests of one of the rings into {@code out}, oldest first. */
    private <T> T ordered(Object ring, T out) {
        int first = Math.min(size, clients.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return out;
    }

    private void removeOldest() {
        int mask = buckets.length - 1;
        int b = home(clients[head], sequences[head]);
        while (buckets[b] != head + 1) {
            b = (b + 1) & mask;
        }
        buckets[b] = 0;
        // Backward-shift deletion: pull later entries of the probe run into the hole unless their home is past it.
        for (int j = (b + 1) & mask; buckets[j] != 0; j = (j + 1) & mask) {
            int slot = buckets[j] - 1;
            int home = home(clients[slot], sequences[slot]);
            boolean homeInHoleToJ = b <= j ? home > b && home <= j : home > b || home <= j;
            if (!homeInHoleToJ) {
                buckets[b] = buckets[j];
                buckets[j] = 0;
                b = j;
            }
        }
        results[head] = null;
        head = (head + 1) % clients.length;
        size--;
    }

    private void grow() {
        int capacity = (int) Math.min(window, Math.max(16L, clients.length * 2L));
        // All four copied before any ring is replaced: ordered() reads the old ring's length.
        long[] newClients = ordered(clients, new long[capacity]);
        long[] newSequences = ordered(sequences, new long[capacity]);
        long[] newIndexes = ordered(indexes, new long[capacity]);
        byte[][] newResults = ordered(results, new byte[capacity][]);
        clients = newClients;
        sequences = newSequences;
        indexes = newIndexes;
        results = newResults;
        head = 0;
        buckets = new int[Integer.highestOneBit(capacity) * 4];
        for (int slot = 0; slot < size; slot++) {
            index(slot);
        }
    }

    private void index(int slot) {
        int mask = buckets.length - 1;
        int b = home(clients[slot], sequences[slot]);
        while (buckets[b] != 0) {
            b = (b + 1) & mask;
        }
        buckets[b] = slot + 1;
    }

    private int slot(int i) {
        return (head + i) % clients.length;
    }

    /** The bucket where the probe for a request starts. */
    private int home(long client, long sequence) {
        return hash(client, sequence) & (buckets.length - 1);
    }

    private static int hash(long client, long sequence) {
        long h = client * 0x9E3779B97F4A7C15L + sequence;
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int) (h ^ (h >>> 32));
    }
}
