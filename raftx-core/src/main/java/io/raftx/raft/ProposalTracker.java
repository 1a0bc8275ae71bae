package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Proposals appended by this node as leader, waiting for their fate. An entry (index, term) is committed exactly
 * when the committed entry at its index has its term; if another entry is committed there, it can never be applied.
 * A proposal whose entry was merely truncated stays pending: a later leader may still hold and commit it. Several
 * proposals can wait on one index (this node led twice and its first entry there was truncated).
 */
final class ProposalTracker {

    private record Pending(long proposalId, long term) { }

    private final TreeMap<Long, List<Pending>> byIndex = new TreeMap<>();
    private int size;
    /** Term of the last committed entry seen by {@link #resolve}; proposals of older terms beyond it are checked once. */
    private long committedTerm;

    void track(long proposalId, long index, long term) {
        byIndex.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(proposalId, term));
        size++;
    }

    int size() {
        return size;
    }

    /** Resolves every pending proposal at or below {@code upTo}, which must not exceed the commit index. */
    List<ProposalOutcome> resolve(RaftLog log, long upTo) {
        List<ProposalOutcome> out = new ArrayList<>();
        while (!byIndex.isEmpty() && byIndex.firstKey() <= upTo) {
            Map.Entry<Long, List<Pending>> e = byIndex.pollFirstEntry();
            if (!log.hasTerm(e.getKey())) {
                size -= e.getValue().size(); // replaced by a snapshot: the outcome cannot be known here
                continue;
            }
            long committedTerm = log.term(e.getKey());
            for (Pending p : e.getValue()) {
                ProposalOutcome.Status status = committedTerm == p.term()
                        ? ProposalOutcome.Status.COMMITTED : ProposalOutcome.Status.TRUNCATED;
                out.add(new ProposalOutcome(p.proposalId(), status, e.getKey()));
                size--;
            }
        }
        resolveSupersededBeyond(log, upTo, out);
        return out;
    }

    /**
     * A committed entry of term T at index j means no entry of an older term can ever be committed at an index
     * >= j (terms never decrease along a log, and every future leader holds the committed entry). So pending
     * proposals of older terms beyond the commit point are definitely not applied, even if the log never grows
     * that far (an idle cluster after a leader change).
     */
    private void resolveSupersededBeyond(RaftLog log, long upTo, List<ProposalOutcome> out) {
        long termAtCommit = log.hasTerm(upTo) ? log.term(upTo) : 0;
        if (termAtCommit <= committedTerm) {
            return;
        }
        committedTerm = termAtCommit;
        for (Map.Entry<Long, List<Pending>> e : byIndex.entrySet()) {
            e.getValue().removeIf(p -> {
                if (p.term() < termAtCommit) {
                    out.add(new ProposalOutcome(p.proposalId(), ProposalOutcome.Status.TRUNCATED, e.getKey()));
                    size--;
                    return true;
                }
                return false;
            });
        }
        byIndex.values().removeIf(List::isEmpty);
    }
}
