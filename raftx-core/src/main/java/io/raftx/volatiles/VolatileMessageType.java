package io.raftx.volatiles;

/** Messages of the volatile protocol; see {@link VolatileMessage} for the fields each one uses. */
public enum VolatileMessageType {
    /** Leader to voter: asks it to promise the epoch and report its history; carries the commit and a read round. */
    HEARTBEAT,
    /** Voter to leader: its history position, answering HEARTBEAT, APPEND or SYNC (or telling a stale leader). */
    STATUS,
    /** Recovering leader to the voter with the best history: send me your history after this anchor. */
    FETCH,
    /** Answer to FETCH: the sender's whole history after the anchor (ops, or a snapshot and ops). */
    FETCH_RESPONSE,
    /** Leader to a voter not synced in this epoch: replace your history with mine and adopt the epoch. */
    SYNC,
    /** Leader to a synced voter: new ops of this epoch, following the anchor. */
    APPEND;

    boolean fromLeader() {
        return this == HEARTBEAT || this == FETCH || this == SYNC || this == APPEND;
    }
}
