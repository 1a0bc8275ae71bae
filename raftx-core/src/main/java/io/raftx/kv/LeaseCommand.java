package io.raftx.kv;

/**
 * A lease command of the KV state machine (etcd's leases): grant a lease with a TTL, revoke it (its keys are deleted
 * in one revision) or record a keep-alive. The state machine keeps leases and their TTLs but no clock: when a lease
 * expires is decided outside it (by the leader, which then proposes the revoke), so every replica agrees.
 */
public record LeaseCommand(Action action, long id, long ttlSeconds) {

    public enum Action { GRANT, REVOKE, KEEP_ALIVE }

    public LeaseCommand {
        if (id <= 0) {
            throw new IllegalArgumentException("lease id must be positive, got " + id);
        }
    }

    public static LeaseCommand grant(long id, long ttlSeconds) {
        return new LeaseCommand(Action.GRANT, id, ttlSeconds);
    }

    public static LeaseCommand revoke(long id) {
        return new LeaseCommand(Action.REVOKE, id, 0);
    }

    public static LeaseCommand keepAlive(long id) {
        return new LeaseCommand(Action.KEEP_ALIVE, id, 0);
    }
}
