package io.raftx.kv;

import java.util.Map;

/**
 * Told on the apply thread about every lease change the KV state machine applies, so a lease clock (which decides
 * expiry) can follow the replicated lease table without reading it.
 */
public interface LeaseObserver {

    void granted(long id, long ttlSeconds);

    void keptAlive(long id, long ttlSeconds);

    void revoked(long id);

    /** The whole table was replaced (snapshot restore): id to TTL in seconds. */
    void reset(Map<Long, Long> leases);
}
