package io.raftx.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Heartbeat rounds and what a majority's answers to them prove. Every heartbeat broadcast is a numbered round;
 * followers echo the number. A round answered by a majority proves this node was still leader when the round
 * was sent, which confirms the ReadIndex requests attached to it (many reads, one round: batching) and starts the
 * leader lease from the round's send time, never from when the answer arrived.
 */
final class QuorumRounds {

    private record ReadRequest(long requestId, long index) { }

    private record Round(long context, long sentTick, List<ReadRequest> reads) { }

    private final String self;
    private Quorum quorum;
    private final ArrayDeque<Round> unconfirmed = new ArrayDeque<>();
    private final Map<String, Long> ackedContext = new HashMap<>();
    private final Map<String, Long> ackedSentTick = new HashMap<>();
    private final Map<Long, Long> sentTickByContext = new HashMap<>();
    private List<ReadRequest> waiting = new ArrayList<>();
    private long lastContext;
    private long now;

    QuorumRounds(String self, Set<String> voters) {
        this.self = self;
        this.quorum = new Quorum(voters);
    }

    void setVoters(Set<String> newVoters) {
        quorum = new Quorum(newVoters);
    }

    void tick() {
        now++;
    }

    void addRead(long requestId, long index) {
        waiting.add(new ReadRequest(requestId, index));
    }

    boolean hasWaitingReads() {
        return !waiting.isEmpty();
    }

    /**
     * Opens a new round carrying the waiting reads and returns its context for the heartbeats. A single voter
     * records no round: nobody answers it, so it would hold the reads forever (they are confirmed by
     * {@link #confirmAllIfAlone()}) and the unanswered rounds would pile up.
     */
    long startRound() {
        if (alone()) {
            return ++lastContext;
        }
        Round r = new Round(++lastContext, now, waiting);
        waiting = new ArrayList<>();
        unconfirmed.add(r);
        sentTickByContext.put(r.context, r.sentTick);
        return r.context;
    }

    /** Records a follower's answer to round {@code context}; returns the reads this confirms. */
    List<ReadState> acknowledge(String follower, long context) {
        Long sent = sentTickByContext.get(context);
        if (sent == null || context <= ackedContext.getOrDefault(follower, 0L)) {
            return List.of();
        }
        ackedContext.put(follower, context);
        ackedSentTick.put(follower, sent);
        List<ReadState> confirmed = new ArrayList<>();
        Round confirmedUpTo = null;
        for (Round r : unconfirmed) {
            if (quorum.reached(v -> v.equals(self) || ackedContext.getOrDefault(v, 0L) >= r.context)) {
                confirmedUpTo = r;
            }
        }
        if (confirmedUpTo != null) {
            // A majority answered a later round, so every earlier round is confirmed too.
            while (!unconfirmed.isEmpty() && unconfirmed.peek().context <= confirmedUpTo.context) {
                Round r = unconfirmed.poll();
                r.reads.forEach(q -> confirmed.add(new ReadState(q.requestId, q.index, true)));
                sentTickByContext.remove(r.context);
            }
        }
        return confirmed;
    }

    /** A single-voter cluster confirms its own rounds. */
    List<ReadState> confirmAllIfAlone() {
        if (!alone()) {
            return List.of();
        }
        List<ReadState> out = new ArrayList<>();
        waiting.forEach(q -> out.add(new ReadState(q.requestId, q.index, true)));
        waiting = new ArrayList<>();
        return out;
    }

    private boolean alone() {
        return quorum.voters().equals(Set.of(self));
    }

    /**
     * True while a majority answered rounds sent less than {@code leaseTicks} ago. Followers refuse votes for
     * {@code electionTicks} after hearing from us, so no other leader can exist yet, provided clocks run at
     * nearly the same rate (the gap between electionTicks and leaseTicks absorbs the drift).
     */
    boolean leaseHolds(int leaseTicks) {
        return quorum.reached(v -> v.equals(self) || ackedSentTick.containsKey(v) && now - ackedSentTick.get(v) < leaseTicks);
    }

    /** Leadership ends: every read not yet confirmed fails. */
    List<ReadState> failAll() {
        List<ReadState> out = new ArrayList<>();
        for (Round r : unconfirmed) {
            r.reads.forEach(q -> out.add(new ReadState(q.requestId, q.index, false)));
        }
        waiting.forEach(q -> out.add(new ReadState(q.requestId, q.index, false)));
        unconfirmed.clear();
        waiting = new ArrayList<>();
        return out;
    }
}
