package io.raftx.volatiles;

/** The four volatile mutations. Each key holds either a plain value or a set of members. */
public enum OpType {
    /** Sets a key to a plain value (replacing a set if the key held one), with an optional TTL. */
    PUT,
    /** Removes a key, whatever it holds. */
    DELETE,
    /** Adds a member to the key's set (a plain value there is replaced by a one-member set), with its own TTL. */
    ADD_TO_SET,
    /** Removes a member from the key's set; removing the last member removes the key. */
    REMOVE_FROM_SET
}
