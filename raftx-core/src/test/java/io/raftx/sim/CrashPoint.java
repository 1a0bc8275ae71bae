package io.raftx.sim;

/** Where in the Ready contract a node dies; the points between steps of the contract are where bugs hide. */
public enum CrashPoint {
    /** Between inputs: whatever the node did so far was fully handled. */
    NOW,
    /** The leader's eager appends left, but the Ready was not persisted. */
    AFTER_EAGER_SEND,
    /** The Ready was persisted but its messages were never sent and nothing was applied. */
    AFTER_PERSIST,
    /** Messages were sent, but committed entries were not applied and outcomes were not reported. */
    AFTER_SEND
}
