package io.raftx.raft;

import java.util.List;
import java.util.Objects;

/**
 * A message between two Raft peers. One shape for all types; the meaning of the numeric fields depends on the type:
 * <ul>
 *   <li>{@code APPEND}: {@code index}/{@code logTerm} are the entry preceding {@code entries}; {@code commit} is the
 *       leader's commit index; {@code rank} is the receiver's succession rank.</li>
 *   <li>{@code APPEND_RESPONSE}: on success {@code index} is the last index now known to match the leader; on
 *       rejection {@code index} is the rejected preceding index and {@code hintTerm}/{@code hintIndex} tell the leader
 *       where to jump back to (term of the conflicting entry, or 0 when the log is too short; first index of that
 *       term, or last index + 1).</li>
 *   <li>{@code HEARTBEAT}: {@code commit} is min(leader commit, receiver's match); {@code rank} as for APPEND.</li>
 *   <li>{@code APPEND}/{@code HEARTBEAT}: {@code noLease} says the leader serves no lease reads, so a follower told
 *       it is unreachable need not keep its promise to it (false, the safe reading, when a sender leaves it out).</li>
 *   <li>{@code PRE_VOTE}/{@code VOTE}: {@code index}/{@code logTerm} describe the candidate's last entry;
 *       {@code rank} is the candidate's own succession rank (-1 if it has none). A PRE_VOTE carries the term the
 *       candidate would campaign in, without having moved to it.</li>
 *   <li>{@code *_VOTE_RESPONSE}: {@code reject} says whether the vote was refused; a grant's {@code index}/{@code logTerm}
 *       describe the voter's last entry (0 when a sender leaves them out: unknown), so that a new leader can send
 *       it what it lacks at once instead of probing for it.</li>
 *   <li>{@code HEARTBEAT}/{@code HEARTBEAT_RESPONSE}: {@code context} is the read-index round being confirmed.</li>
 *   <li>{@code SNAPSHOT}: {@code index}/{@code logTerm} are the snapshot's last included entry and {@code entries}
 *       holds one CONFIG entry at that index with the membership as of the snapshot. The data itself travels
 *       beside the message, streamed by the runtime; the receiving core sees the message once the data arrived.</li>
 *   <li>{@code TIMEOUT_NOW}: the leader hands over; the receiver campaigns at once, with
 *       {@code context = TRANSFER_CAMPAIGN} on its VOTEs so voters skip their leader lease.</li>
 * </ul>
 */
public record Message(MessageType type, String from, String to, long term, long index, long logTerm,
                      List<Entry> entries, long commit, boolean reject, long hintTerm, long hintIndex, int rank,
                      long context, boolean noLease) {

    public static final int NO_RANK = -1;
    /** {@code context} of a VOTE sent because the leader handed over (TimeoutNow): voters skip their lease. */
    public static final long TRANSFER_CAMPAIGN = 1;

    public Message {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        entries = entries == null ? List.of() : entries;
    }

    public static Message append(String from, String to, long term, long prevIndex, long prevTerm,
                                 List<Entry> entries, long commit, int rank, boolean noLease) {
        return new Message(MessageType.APPEND, from, to, term, prevIndex, prevTerm, entries, commit, false, 0, 0, rank, 0,
                noLease);
    }

    public static Message appendAccepted(String from, String to, long term, long matchIndex) {
        return new Message(MessageType.APPEND_RESPONSE, from, to, term, matchIndex, 0, List.of(), 0, false, 0, 0, NO_RANK, 0, false);
    }

    public static Message appendRejected(String from, String to, long term, long rejectedIndex, long hintTerm, long hintIndex) {
        return new Message(MessageType.APPEND_RESPONSE, from, to, term, rejectedIndex, 0, List.of(), 0, true,
                hintTerm, hintIndex, NO_RANK, 0, false);
    }

    /** {@code context} identifies the leader's read-index round; the response echoes it (0 = none). */
    public static Message heartbeat(String from, String to, long term, long commit, int rank, long context,
                                    boolean noLease) {
        return new Message(MessageType.HEARTBEAT, from, to, term, 0, 0, List.of(), commit, false, 0, 0, rank, context,
                noLease);
    }

    public static Message heartbeatResponse(String from, String to, long term, long context) {
        return new Message(MessageType.HEARTBEAT_RESPONSE, from, to, term, 0, 0, List.of(), 0, false, 0, 0, NO_RANK,
                context, false);
    }

    public static Message voteRequest(MessageType type, String from, String to, long term, long lastIndex,
                                      long lastTerm, int rank, long context) {
        return new Message(type, from, to, term, lastIndex, lastTerm, List.of(), 0, false, 0, 0, rank, context, false);
    }

    public static Message voteResponse(MessageType type, String from, String to, long term, boolean reject) {
        return new Message(type, from, to, term, 0, 0, List.of(), 0, reject, 0, 0, NO_RANK, 0, false);
    }

    /** A granted (pre)vote that tells the candidate where the voter's log ends. */
    public static Message voteGranted(MessageType type, String from, String to, long term, long lastIndex,
                                      long lastTerm) {
        return new Message(type, from, to, term, lastIndex, lastTerm, List.of(), 0, false, 0, 0, NO_RANK, 0, false);
    }

    public static Message snapshot(String from, String to, long term, SnapshotMeta meta) {
        Entry config = new Entry(meta.term(), meta.index(), EntryType.CONFIG, meta.membership().encode());
        return new Message(MessageType.SNAPSHOT, from, to, term, meta.index(), meta.term(), List.of(config), 0, false,
                0, 0, NO_RANK, 0, false);
    }

    /** The snapshot a SNAPSHOT message describes. */
    public SnapshotMeta snapshotMeta() {
        if (type != MessageType.SNAPSHOT || entries.size() != 1 || entries.get(0).type() != EntryType.CONFIG) {
            throw new IllegalStateException("not a well-formed SNAPSHOT message: " + this);
        }
        return new SnapshotMeta(index, logTerm, Membership.decode(entries.get(0).data()));
    }

    /** Leadership transfer: tells the target to start an election at once. */
    public static Message timeoutNow(String from, String to, long term) {
        return new Message(MessageType.TIMEOUT_NOW, from, to, term, 0, 0, List.of(), 0, false, 0, 0, NO_RANK, 0, false);
    }

    /** Same message addressed elsewhere or duplicated by a network; records are immutable so this is a plain copy. */
    public Message withTo(String newTo) {
        return new Message(type, from, newTo, term, index, logTerm, entries, commit, reject, hintTerm, hintIndex, rank,
                context, noLease);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append(' ').append(from).append("->").append(to)
                .append(" t").append(term);
        switch (type) {
            case APPEND -> sb.append(" prev=").append(index).append('@').append(logTerm)
                    .append(" n=").append(entries.size()).append(" commit=").append(commit).append(" rank=").append(rank)
                    .append(noLease ? " nolease" : "");
            case APPEND_RESPONSE -> sb.append(reject ? " reject idx=" + index + " hint=" + hintIndex + "@" + hintTerm
                    : " match=" + index);
            case HEARTBEAT -> sb.append(" commit=").append(commit).append(" rank=").append(rank).append(" ctx=").append(context)
                    .append(noLease ? " nolease" : "");
            case HEARTBEAT_RESPONSE -> sb.append(" ctx=").append(context);
            case PRE_VOTE, VOTE -> sb.append(" last=").append(index).append('@').append(logTerm).append(" rank=").append(rank)
                    .append(context == TRANSFER_CAMPAIGN ? " transfer" : "");
            case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> sb.append(reject ? " reject" : " grant last=" + index + "@" + logTerm);
            case SNAPSHOT -> sb.append(" snap=").append(index).append('@').append(logTerm);
            default -> { }
        }
        return sb.toString();
    }
}
