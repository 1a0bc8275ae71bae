package io.raftx.raft;

import java.util.List;
import java.util.Objects;

/**
 * Static configuration of one Raft node. Times are in logical ticks; the runtime decides how long a tick is.
 *
 * @param id                  this node's id
 * @param voters              the initial voting members (including this node unless it waits to be added)
 * @param electionTicks       base election timeout; also the CheckQuorum window and the pre-vote lease
 * @param heartbeatTicks      leader heartbeat interval, well below {@code electionTicks}
 * @param rankGapTicks        extra timeout per succession rank: rank r times out at base + r * gap + jitter
 * @param jitterTicks         upper bound of the random jitter added to every election timeout
 * @param silentLeaderTicks   a follower that has heard nothing from its leader for this many ticks treats it as
 *                            reported unreachable (early start, as on a closed connection); 0 turns it off. Between
 *                            {@code heartbeatTicks} and {@code electionTicks}, exclusive. The floor of an adaptive
 *                            threshold: see {@code LeaderSilence}
 * @param silenceWindowTicks  how long a follower remembers the longest gap between its leader's messages (the
 *                            threshold covers this window and the previous one)
 * @param preVote             ask for pre-votes before bumping the term
 * @param checkQuorum         leaders step down without a majority heard from in an election timeout
 * @param maxInflightAppends  appends in flight per follower before the leader waits (back-pressure)
 * @param maxEntriesPerAppend entries batched into one append at most
 * @param maxBytesPerAppend   payload bytes batched into one append at most (one entry is always allowed)
 * @param maxUncommittedEntries proposals are dropped while the leader holds this many uncommitted entries
 * @param leaseReads          as leader, serve lease reads without a heartbeat round while the lease holds; off by
 *                            default, because followers must then keep a longer promise to a leader reported
 *                            unreachable (see {@link #unreachableLeaderTicks()}), which slows failover after a kill
 */
public record RaftConfig(String id, List<String> voters, int electionTicks, int heartbeatTicks, int rankGapTicks,
                         int jitterTicks, int silentLeaderTicks, int silenceWindowTicks, boolean preVote, boolean checkQuorum, int maxInflightAppends,
                         int maxEntriesPerAppend, long maxBytesPerAppend, int maxUncommittedEntries,
                         boolean leaseReads) {

    public RaftConfig {
        Objects.requireNonNull(id, "id");
        voters = List.copyOf(voters);
        require(!id.isBlank(), "node id must not be blank");
        require(heartbeatTicks >= 1, "heartbeatTicks must be >= 1, got " + heartbeatTicks);
        require(electionTicks > heartbeatTicks,
                "electionTicks (" + electionTicks + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        require(rankGapTicks >= 1, "rankGapTicks must be >= 1, got " + rankGapTicks);
        require(jitterTicks >= 0 && jitterTicks < rankGapTicks,
                "jitterTicks must be in [0, rankGapTicks) so ranks never overlap, got " + jitterTicks);
        require(silentLeaderTicks == 0 || (silentLeaderTicks > heartbeatTicks && silentLeaderTicks < electionTicks),
                "silentLeaderTicks must be 0 (off) or between heartbeatTicks (" + heartbeatTicks + ") and electionTicks ("
                        + electionTicks + "), exclusive, got " + silentLeaderTicks);
        require(silenceWindowTicks >= 1, "silenceWindowTicks must be >= 1, got " + silenceWindowTicks);
        require(maxInflightAppends >= 1, "maxInflightAppends must be >= 1");
        require(maxEntriesPerAppend >= 1, "maxEntriesPerAppend must be >= 1");
        require(maxBytesPerAppend >= 1, "maxBytesPerAppend must be >= 1");
        require(maxUncommittedEntries >= 1, "maxUncommittedEntries must be >= 1");
    }

    /**
     * Defaults: 10-tick election timeout, heartbeat every 2 ticks (5 per election timeout: a lost or late heartbeat
     * or two never starts an election, and an idle cluster sends half the messages of one per tick), 3 ticks between
     * ranks, up to 1 tick of jitter, a leader silent for two heartbeat intervals treated as unreachable.
     */
    public static RaftConfig of(String id, List<String> voters) {
        return new RaftConfig(id, voters, 10, 2, 3, 1, defaultSilentLeaderTicks(10, 2),
                SILENCE_WINDOW_ELECTION_TIMEOUTS * 10, true, true, 256, 1024, 4L << 20, 100_000, false);
    }

    /**
     * Two heartbeat intervals: one heartbeat lost and the next one late. Off (0) when that is not shorter than the
     * election timeout, where a silent leader is found by the timer anyway.
     */
    /** The default silence window, in election timeouts: 30 s at the default timing. */
    static final int SILENCE_WINDOW_ELECTION_TIMEOUTS = 60;

    static int defaultSilentLeaderTicks(int electionTicks, int heartbeatTicks) {
        int ticks = 2 * heartbeatTicks;
        return ticks < electionTicks ? ticks : 0;
    }

    /** New timing; the silence settings go back to their defaults for it ({@link #withSilence} after). */
    public RaftConfig withElection(int electionTicks, int heartbeatTicks, int rankGapTicks, int jitterTicks) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks,
                defaultSilentLeaderTicks(electionTicks, heartbeatTicks), SILENCE_WINDOW_ELECTION_TIMEOUTS * electionTicks,
                preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    public RaftConfig withPreVoteAndCheckQuorum(boolean preVote, boolean checkQuorum) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks, silentLeaderTicks, silenceWindowTicks, preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    public RaftConfig withReplication(int maxInflightAppends, int maxEntriesPerAppend, long maxBytesPerAppend,
                                      int maxUncommittedEntries) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks, silentLeaderTicks, silenceWindowTicks, preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    public RaftConfig withSilentLeaderTicks(int silentLeaderTicks) {
        return withSilence(silentLeaderTicks, silenceWindowTicks);
    }

    public RaftConfig withSilence(int silentLeaderTicks, int silenceWindowTicks) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks, silentLeaderTicks, silenceWindowTicks, preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    /** The same settings for another node and voter list. */
    public RaftConfig withMembers(String id, List<String> voters) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks, silentLeaderTicks, silenceWindowTicks, preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    public RaftConfig withLeaseReads(boolean leaseReads) {
        return new RaftConfig(id, voters, electionTicks, heartbeatTicks, rankGapTicks, jitterTicks, silentLeaderTicks, silenceWindowTicks, preVote,
                checkQuorum, maxInflightAppends, maxEntriesPerAppend, maxBytesPerAppend, maxUncommittedEntries, leaseReads);
    }

    /**
     * How long a follower keeps its promise not to help elect another leader, counted from when it last heard from its
     * leader, once the runtime reported that leader unreachable, if that leader serves lease reads: half an election
     * timeout, rounded up. Its lease is bounded by this (less a drift margin), because any follower may get such a
     * report, rightly or not. A leader without lease reads says so in its messages, and then a reported follower
     * ends its promise at once ({@link Message#noLease()}).
     */
    public int unreachableLeaderTicks() {
        return (electionTicks + 1) / 2;
    }

    /**
     * The same promise to a leader that serves no lease reads: nothing rests on it but the cluster's stability, so it
     * lasts only until that leader's next heartbeat is due (a follower wrongly told its leader is unreachable goes on
     * hearing from it and never campaigns).
     */
    public int unreachableLeaderWithoutLeaseTicks() {
        return Math.min(heartbeatTicks, unreachableLeaderTicks());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
