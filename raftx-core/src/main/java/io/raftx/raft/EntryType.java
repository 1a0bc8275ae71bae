package io.raftx.raft;

/** What a log entry carries. */
public enum EntryType {
    /** Application data from {@link Raft#propose}. */
    NORMAL,
    /** Appended by a new leader so entries of its term exist to be counted towards commit (Raft §5.4.2). */
    NOOP,
    /** A new {@link Membership}, effective on append. */
    CONFIG
}
