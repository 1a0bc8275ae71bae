package io.raftx.raft;

/** One single-node membership change; {@code address} (host:port) is given when adding a learner. */
public record ConfigChange(Type type, String nodeId, String address) {

    public enum Type {
        /** Start replicating to a new node that does not vote yet. */
        ADD_LEARNER,
        /** Make a caught-up learner a voter. */
        PROMOTE,
        /** Remove a voter or learner. */
        REMOVE
    }

    public static ConfigChange addLearner(String id) {
        return new ConfigChange(Type.ADD_LEARNER, id, null);
    }

    public static ConfigChange addLearner(String id, String address) {
        return new ConfigChange(Type.ADD_LEARNER, id, address);
    }

    public static ConfigChange promote(String id) {
        return new ConfigChange(Type.PROMOTE, id, null);
    }

    public static ConfigChange remove(String id) {
        return new ConfigChange(Type.REMOVE, id, null);
    }
}
