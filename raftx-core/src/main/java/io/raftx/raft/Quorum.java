package io.raftx.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The majority rule, counted in one place: a configuration's voters and what a majority of them has done. Everything
 * that decides by majority (elections, the commit index, CheckQuorum, heartbeat rounds and the read lease) asks this
 * class; learners and unknown nodes are never counted. One single-server configuration is in effect at a time (no
 * joint consensus), so a quorum is simply a majority of one voter set.
 */
final class Quorum {

    /** Where a (pre-)vote stands. */
    enum VoteResult { WON, LOST, PENDING }

    private final Set<String> voters;

    Quorum(Set<String> voters) {
        this.voters = Set.copyOf(voters);
    }

    /** Votes needed out of {@code voters}: more than half. */
    static int majority(int voters) {
        return voters / 2 + 1;
    }

    Set<String> voters() {
        return voters;
    }

    int majority() {
        return majority(voters.size());
    }

    /** True if the voters for which {@code acknowledged} holds form a majority. */
    boolean reached(Predicate<String> acknowledged) {
        int count = 0;
        for (String v : voters) {
            if (acknowledged.test(v)) {
                count++;
            }
        }
        return count >= majority();
    }

    /**
     * The highest index that a majority of voters has matched, given each voter's match index; 0 for a configuration
     * without voters (nothing can be committed by counting then).
     */
    long committedIndex(ToLongFunction<String> matchOf) {
        if (voters.isEmpty()) {
            return 0;
        }
        long[] matches = new long[voters.size()];
        int i = 0;
        for (String v : voters) {
            matches[i++] = matchOf.applyAsLong(v);
        }
        Arrays.sort(matches);
        return matches[matches.length - majority()];
    }

    /**
     * The outcome of a campaign given the answers so far ({@code true} = granted): won once a majority granted, lost
     * once a majority refused, pending otherwise. Answers from non-voters are ignored.
     */
    VoteResult voteResult(Map<String, Boolean> votes) {
        int granted = 0;
        int refused = 0;
        for (String v : voters) {
            Boolean vote = votes.get(v);
            if (vote != null) {
                if (vote) {
                    granted++;
                } else {
                    refused++;
                }
            }
        }
        if (granted >= majority()) {
            return VoteResult.WON;
        }
        return refused >= majority() ? VoteResult.LOST : VoteResult.PENDING;
    }
}
