package io.raftx.volatiles;

import java.util.List;
import java.util.Objects;

/**
 * A message between two volatile cores. One shape for all types; {@code epoch} is always the epoch of the leader
 * the exchange belongs to (a Raft term). {@code incarnation} identifies one start of a node: answers (STATUS,
 * FETCH_RESPONSE) carry the sender's, and SYNC and APPEND carry the receiver's as the leader knows it — a node
 * ignores those addressed to an earlier start of itself, whose history they were computed for. Fields by type:
 * <ul>
 *   <li>{@code HEARTBEAT}: {@code commit} = the leader's commit index; {@code context} = its read round.</li>
 *   <li>{@code STATUS}: the sender's history — {@code historyEpoch} (epoch it last synced with; 0 = it holds no
 *       volatile memory), {@code lastIndex}, {@code commit} (its applied index); {@code context} echoes the
 *       heartbeat's read round; {@code reject} = the last transfer did not fit its history. A STATUS whose
 *       {@code epoch} is above the leader's tells a stale leader that a newer one exists.</li>
 *   <li>{@code FETCH}: {@code transfer} holds only the anchor (the leader's commit index and its epoch).</li>
 *   <li>{@code FETCH_RESPONSE}: {@code historyEpoch}, {@code lastIndex}, {@code commit} as for STATUS and
 *       {@code transfer} = the sender's history after the anchor (a snapshot first if it cannot diff).</li>
 *   <li>{@code SYNC}: {@code transfer} = the leader's whole history after the anchor (the receiver's commit index,
 *       or a snapshot); {@code commit} = the leader's commit index.</li>
 *   <li>{@code APPEND}: {@code transfer} = ops after the anchor (the receiver's last index); {@code commit}.</li>
 * </ul>
 */
public record VolatileMessage(VolatileMessageType type, String from, String to, long epoch, long incarnation, long commit,
                              long historyEpoch, long lastIndex, HistoryTransfer transfer, long context,
                              boolean reject) {

    public VolatileMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        boolean needsTransfer = type == VolatileMessageType.FETCH || type == VolatileMessageType.FETCH_RESPONSE
                || type == VolatileMessageType.SYNC || type == VolatileMessageType.APPEND;
        if (needsTransfer != (transfer != null)) {
            throw new IllegalArgumentException(type + (needsTransfer ? " needs" : " carries no") + " transfer");
        }
    }

    static VolatileMessage heartbeat(String from, String to, long epoch, long commit, long readRound) {
        return new VolatileMessage(VolatileMessageType.HEARTBEAT, from, to, epoch, 0, commit, 0, 0, null, readRound, false);
    }

    static VolatileMessage status(String from, String to, long epoch, long incarnation, long historyEpoch,
                                  long lastIndex, long commit, long context, boolean reject) {
        return new VolatileMessage(VolatileMessageType.STATUS, from, to, epoch, incarnation, commit, historyEpoch, lastIndex, null,
                context, reject);
    }

    static VolatileMessage fetch(String from, String to, long epoch, long anchorIndex, long anchorEpoch) {
        return new VolatileMessage(VolatileMessageType.FETCH, from, to, epoch, 0, 0, 0, 0,
                HistoryTransfer.diff(anchorIndex, anchorEpoch, List.of()), 0, false);
    }

    static VolatileMessage fetchResponse(String from, String to, long epoch, long incarnation, long historyEpoch,
                                         long lastIndex, long commit, HistoryTransfer transfer) {
        return new VolatileMessage(VolatileMessageType.FETCH_RESPONSE, from, to, epoch, incarnation, commit, historyEpoch, lastIndex,
                transfer, 0, false);
    }

    static VolatileMessage sync(String from, String to, long epoch, long incarnation, long commit,
                                HistoryTransfer transfer) {
        return new VolatileMessage(VolatileMessageType.SYNC, from, to, epoch, incarnation, commit, 0, 0, transfer, 0, false);
    }

    static VolatileMessage append(String from, String to, long epoch, long incarnation, long commit,
                                  HistoryTransfer transfer) {
        return new VolatileMessage(VolatileMessageType.APPEND, from, to, epoch, incarnation, commit, 0, 0, transfer, 0, false);
    }

    /** True if this message carries an in-memory snapshot. */
    public boolean carriesSnapshot() {
        return transfer != null && transfer.snapshot() != null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append(' ').append(from).append("->").append(to)
                .append(" e").append(epoch);
        switch (type) {
            case HEARTBEAT -> sb.append(" commit=").append(commit).append(" round=").append(context);
            case STATUS -> sb.append(" history=").append(lastIndex).append("@e").append(historyEpoch)
                    .append(" commit=").append(commit).append(" round=").append(context).append(reject ? " reject" : "");
            case FETCH -> sb.append(" after=").append(transfer.anchorIndex()).append('@').append(transfer.anchorEpoch());
            case FETCH_RESPONSE -> sb.append(" history=").append(lastIndex).append("@e").append(historyEpoch)
                    .append(' ').append(transfer);
            case SYNC, APPEND -> sb.append(" commit=").append(commit).append(' ').append(transfer);
        }
        return sb.toString();
    }
}
