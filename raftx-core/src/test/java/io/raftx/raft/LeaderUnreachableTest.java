package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Raft#peerUnreachable} and {@link Raft#peerDown}: when a report about the leader starts an election early, and
 * when it must not. The reports alone: a follower's own report of a silent leader ({@link RaftConfig#silentLeaderTicks})
 * is off here ({@link SilentLeaderTest}).
 */
class LeaderUnreachableTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");

    private static RaftConfig reportsOnly(String id, List<String> ids) {
        return RaftConfig.of(id, ids).withSilentLeaderTicks(0);
    }

    private static TestNetwork elected(UnaryOperator<RaftConfig> tune) {
        TestNetwork net = new TestNetwork(IDS, id -> tune.apply(reportsOnly(id, IDS)));
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    /** Ticks until someone other than n1 leads; returns how many ticks that took (or -1 within {@code max}). */
    private static int ticksToNewLeader(TestNetwork net, int max) {
        return net.ticksUntilLeaderOtherThan("n1", max);
    }

    private static void killLeaderAndReport(TestNetwork net, boolean report) {
        net.crash("n1");
        if (report) {
            net.nodes.get("n2").peerUnreachable("n1");
            net.nodes.get("n3").peerUnreachable("n1");
        }
    }

    @Test
    void aReportedDeadLeaderWithoutLeaseReadsIsReplacedOnceAHeartbeatIsOverdue() {
        TestNetwork net = elected(c -> c);
        killLeaderAndReport(net, true);
        int ticks = ticksToNewLeader(net, 30);
        RaftConfig c = RaftConfig.of("n2", IDS);
        // rank 0 fires at the shorter promise + 1 + jitter; the pre-vote and vote rounds are instant here
        int promise = c.unreachableLeaderWithoutLeaseTicks();
        assertThat(promise).isLessThan(c.unreachableLeaderTicks());
        assertThat(ticks).isBetween(promise + 1, promise + 1 + c.jitterTicks());
    }

    /** The transport's probe found nothing listening at the dead leader's address: the followers report it down. */
    private static void killLeaderAndReportDown(TestNetwork net) {
        killLeaderAndReport(net, true);
        net.nodes.get("n2").peerDown("n1");
        net.nodes.get("n3").peerDown("n1");
    }

    /** {@code to}'s stream to n1 broke and its probe of n1's address was refused. */
    private static void reportDown(TestNetwork net, String to) {
        net.nodes.get(to).peerUnreachable("n1");
        net.nodes.get(to).peerDown("n1");
    }

    /** The follower n1 ranked first. */
    private static String bestRanked(TestNetwork net) {
        return net.nodes.get("n2").rank() == 0 ? "n2" : "n3";
    }

    /** The follower that is not {@code follower}. */
    private static String theOther(String follower) {
        return follower.equals("n2") ? "n3" : "n2";
    }

    @Test
    void aLeaderWithoutLeaseReadsReportedDownIsReplacedATickAfterItWasLastHeardFrom() {
        TestNetwork net = elected(c -> c);
        killLeaderAndReportDown(net);
        int ticks = ticksToNewLeader(net, 30);
        RaftConfig c = RaftConfig.of("n2", IDS);
        // no promise left: rank 0 fires at 1 + jitter, against unreachableLeaderWithoutLeaseTicks + 1 + jitter
        assertThat(ticks).isBetween(1, 1 + c.jitterTicks());
        assertThat(ticks).isLessThan(c.unreachableLeaderWithoutLeaseTicks() + 1);
    }

    @Test
    void aLeasingLeaderReportedDownIsWaitedForAsAfterAnyReport() {
        TestNetwork net = elected(c -> c.withLeaseReads(true));
        killLeaderAndReportDown(net);
        RaftConfig c = RaftConfig.of("n2", IDS);
        assertThat(ticksToNewLeader(net, 30)).isGreaterThan(c.unreachableLeaderTicks());
    }

    /**
     * The voter the probe has not told yet (only its stream's reset) keeps its heartbeat-long promise: it holds the
     * candidate's pre-vote and answers it when the promise ends, so the leader comes a little later, not a round later.
     */
    @Test
    void aVoterNotYetToldDownAnswersWhenItsOwnPromiseEnds() {
        TestNetwork net = elected(c -> c);
        String best = bestRanked(net);
        String other = theOther(best);
        net.crash("n1");
        reportDown(net, best);
        net.nodes.get(other).peerUnreachable("n1");
        RaftConfig c = RaftConfig.of(best, IDS);
        int ticks = ticksToNewLeader(net, 30);
        assertThat(net.leader()).isEqualTo(best);
        assertThat(ticks).isBetween(1, c.unreachableLeaderWithoutLeaseTicks() + 1);
    }

    /**
     * A voter told the leader is down while it holds the best-ranked candidate's pre-vote answers it first and defers
     * to it, instead of starting a pre-vote of its own in the same instant (which made rounds collide at 7 nodes).
     */
    @Test
    void aVoterToldDownWhileHoldingABetterCandidatesPreVoteDefersToIt() {
        TestNetwork net = elected(c -> c);
        String best = bestRanked(net);
        String other = theOther(best);
        java.util.List<Message> ownPreVotes = new java.util.ArrayList<>();
        net.drop = m -> {
            if (m.type() == MessageType.PRE_VOTE && m.from().equals(other)) {
                ownPreVotes.add(m);
            }
            return false;
        };
        net.crash("n1");
        net.tickAll(6); // past the other's own early start (rank gap), were it told of the leader now
        reportDown(net, best); // best pre-votes at once; the other, not yet told, holds it
        net.settle();
        assertThat(net.leader()).isNull();
        // its own probe of the leader, made because it was asked for a pre-vote: down without a reset report first
        net.nodes.get(other).peerDown("n1");
        net.settle();
        assertThat(ownPreVotes).as("the other follower's own pre-votes").isEmpty();
        assertThat(net.leader()).isEqualTo(best);
    }

    @Test
    void aReportedDeadLeaderWithLeaseReadsIsReplacedWithinHalfAnElectionTimeoutPlusRanks() {
        TestNetwork net = elected(c -> c.withLeaseReads(true));
        killLeaderAndReport(net, true);
        int ticks = ticksToNewLeader(net, 30);
        RaftConfig c = RaftConfig.of("n2", IDS);
        // rank 0 fires at unreachableLeaderTicks + 1 + jitter; the pre-vote and vote rounds are instant here
        assertThat(ticks).isBetween(c.unreachableLeaderTicks() + 1, c.unreachableLeaderTicks() + 1 + c.jitterTicks());
    }

    /**
     * The best-ranked follower is told at once, the other a few ticks later (its connection noticed the close late):
     * the other ignores the first pre-vote (it still keeps its promise), so the candidate asks again every heartbeat
     * interval instead of waiting out its whole timer or the other's later rank.
     */
    @Test
    void aFollowerToldLateDoesNotHoldUpTheBestRanked() {
        TestNetwork net = elected(c -> c);
        String best = bestRanked(net);
        String other = theOther(best);
        net.crash("n1");
        net.nodes.get(best).peerUnreachable("n1");
        int lateBy = 5; // after the best-ranked one's first pre-vote (3-4 ticks), before the other's own start
        net.tickAll(lateBy);
        net.nodes.get(other).peerUnreachable("n1");
        int ticks = lateBy + ticksToNewLeader(net, 30);
        RaftConfig c = RaftConfig.of(best, IDS);
        assertThat(net.leader()).isEqualTo(best);
        assertThat(ticks).isLessThanOrEqualTo(lateBy + c.heartbeatTicks());
    }

    /**
     * A voter that ignored the best-ranked follower's pre-vote while keeping its promise answers it the moment its
     * own report ends the promise, instead of at the candidate's next re-ask (up to a heartbeat interval later).
     */
    @Test
    void aVoterToldLateAnswersTheIgnoredPreVoteAtOnce() {
        for (int lateBy = 5; lateBy <= 6; lateBy++) {
            TestNetwork net = elected(c -> c);
            String best = bestRanked(net);
            String other = theOther(best);
            net.crash("n1");
            net.nodes.get(best).peerUnreachable("n1");
            net.tickAll(lateBy);
            assertThat(net.leader()).isNotEqualTo(best);
            net.nodes.get(other).peerUnreachable("n1");
            assertThat(ticksToNewLeader(net, 30)).as("told %d ticks late", lateBy).isEqualTo(1);
            assertThat(net.leader()).isEqualTo(best);
        }
    }

    /**
     * The leader's own setting, carried in its messages, decides how long its followers keep their promise: a leader
     * serving lease reads is waited for even by followers configured without them, and the other way round.
     */
    @Test
    void theLeaderDecidesHowLongReportedFollowersKeepTheirPromise() {
        RaftConfig c = RaftConfig.of("n2", IDS);
        TestNetwork leasingLeader = elected(cfg -> cfg.withLeaseReads(cfg.id().equals("n1")));
        killLeaderAndReport(leasingLeader, true);
        assertThat(ticksToNewLeader(leasingLeader, 30)).isGreaterThan(c.unreachableLeaderTicks());

        TestNetwork plainLeader = elected(cfg -> cfg.withLeaseReads(!cfg.id().equals("n1")));
        killLeaderAndReport(plainLeader, true);
        assertThat(ticksToNewLeader(plainLeader, 30)).isLessThanOrEqualTo(c.unreachableLeaderWithoutLeaseTicks() + 1
                + c.jitterTicks());
    }

    @Test
    void aStaleRankCostsNoRankGap() {
        for (boolean report : new boolean[] {true, false}) {
            TestNetwork net = elected(c -> c.withLeaseReads(true));
            String best = bestRanked(net);
            String other = theOther(best);
            assertThat(net.nodes.get(other).rank()).isPositive();
            // The best-ranked follower misses the leader's last entry: its rank is stale when the leader dies.
            net.drop = m -> m.from().equals("n1") && m.to().equals(best);
            net.nodes.get("n1").propose(1, new byte[] {1});
            net.settle();
            assertThat(net.nodes.get(other).log().lastIndex()).isGreaterThan(net.nodes.get(best).log().lastIndex());
            net.drop = m -> false;
            killLeaderAndReport(net, report);
            RaftConfig c = RaftConfig.of(best, IDS);
            int firstTry = (report ? c.unreachableLeaderTicks() : c.electionTicks()) + 1 + c.jitterTicks();
            // the refused best-ranked candidate's pre-vote makes the more up-to-date follower campaign in that tick
            assertThat(ticksToNewLeader(net, 40)).as("report=%s", report).isBetween(1, firstTry);
            assertThat(net.leader()).isEqualTo(other);
        }
    }

    @Test
    void withoutAReportTheFullElectionTimeoutRuns() {
        TestNetwork net = elected(c -> c);
        killLeaderAndReport(net, false);
        assertThat(ticksToNewLeader(net, 30)).isGreaterThan(RaftConfig.of("n2", IDS).electionTicks());
    }

    @Test
    void aReportIsIgnoredWithoutPreVoteOrWithoutCheckQuorum() {
        for (UnaryOperator<RaftConfig> tune : List.<UnaryOperator<RaftConfig>>of(
                c -> c.withPreVoteAndCheckQuorum(false, true), c -> c.withPreVoteAndCheckQuorum(true, false))) {
            TestNetwork net = elected(tune);
            killLeaderAndReport(net, true);
            assertThat(ticksToNewLeader(net, 30)).isGreaterThan(RaftConfig.of("n2", IDS).electionTicks());
        }
    }

    @Test
    void aReportAboutAnotherPeerOrALiveLeaderChangesNothing() {
        TestNetwork net = elected(c -> c);
        long term = net.nodes.get("n1").term();
        for (int t = 0; t < 50; t++) {
            net.nodes.get("n2").peerUnreachable("n1"); // wrong: n1 is alive and keeps sending heartbeats
            net.nodes.get("n2").peerDown("n1");
            net.nodes.get("n3").peerUnreachable("n2"); // about a follower: not n3's leader
            net.nodes.get("n3").peerDown("n2");
            net.tickAll(1);
        }
        assertThat(net.leader()).isEqualTo("n1");
        assertThat(net.nodes.get("n1").term()).isEqualTo(term);
    }

    @Test
    void noLeaseWithoutLeaseReads() {
        TestNetwork net = elected(cfg -> cfg);
        net.tickAll(2);
        assertThat(net.nodes.get("n1").leaseValid()).isFalse();
    }

    @Test
    void theLeaseIsBoundedByTheShorterPromise() {
        RaftConfig c = RaftConfig.of("n1", IDS);
        TestNetwork net = elected(cfg -> cfg.withLeaseReads(true));
        net.tickAll(2);
        assertThat(net.nodes.get("n1").leaseValid()).isTrue();
        net.partition(java.util.Set.of("n1"));
        net.tickAll(c.unreachableLeaderTicks() - Leadership.LEASE_MARGIN_TICKS);
        assertThat(net.nodes.get("n1").leaseValid()).isFalse();
    }

    /**
     * The best-ranked follower, told the leader is down, pre-votes at once, but the other voters hold its pre-vote
     * until their own promise ends, so it wins the pre-vote with its timer nearly run out. Its vote round then gets a
     * whole timeout: the votes on their way are not thrown away for a pre-vote and election one term later (seen at
     * nine node processes, where every such round lost 100-200 ms).
     */
    @Test
    void aCandidateThatWonItsPreVoteLateStillGetsAWholeTimeoutForItsVotes() {
        List<String> ids = FIVE;
        TestNetwork net = electedFive();
        String best = rankedAt(net, ids, 0);
        Raft candidate = net.nodes.get(best);
        net.crash("n1");
        reportDown(net, best);
        net.drop = m -> m.type() == MessageType.VOTE; // keep it a candidate: its vote requests never arrive
        int ticks = 0;
        while (candidate.role() != Role.CANDIDATE && ticks++ < 100) {
            net.tickAll(1);
        }
        RaftConfig c = RaftConfig.of(best, ids);
        assertThat(candidate.role()).isEqualTo(Role.CANDIDATE);
        assertThat(ticks).as("the pre-vote was won late, once the voters' promise ended")
                .isGreaterThanOrEqualTo(c.electionTicks() - 1);
        long term = candidate.term();
        int asCandidate = 0;
        while (candidate.term() == term && asCandidate++ < 100) {
            net.tickAll(1);
        }
        assertThat(asCandidate).isGreaterThan(c.electionTicks());
    }

    /**
     * A pre-vote answer leaves at once, not behind the fsync of the entries that share its Ready (a follower still
     * persisting the dead leader's last append), while a real vote's answer waits for the vote to be written.
     */
    @Test
    void preVoteAnswersLeaveBeforeTheReadyIsPersistedAndVoteAnswersAfter() {
        TestNetwork net = elected(c -> c);
        Raft n2 = net.nodes.get("n2");
        long term = n2.term();
        long last = n2.log().lastIndex();
        net.crash("n1");
        // the dead leader's last append reached n2; its Ready (the entry) is not persisted yet
        n2.step(Message.append("n1", "n2", term, last, term,
                List.of(new Entry(term, last + 1, EntryType.NORMAL, new byte[] {1})), last, 1, true));
        n2.peerUnreachable("n1");
        n2.peerDown("n1");
        n2.step(Message.voteRequest(MessageType.PRE_VOTE, "n3", "n2", term + 1, last + 1, term, 0, 0));
        Ready preVote = n2.ready();
        assertThat(preVote.entries()).isNotEmpty();
        assertThat(preVote.eagerMessages()).anyMatch(m -> m.type() == MessageType.PRE_VOTE_RESPONSE
                && m.to().equals("n3") && !m.reject());
        assertThat(preVote.messages()).noneMatch(m -> m.type() == MessageType.PRE_VOTE_RESPONSE);
        n2.advance(preVote);

        n2.step(Message.voteRequest(MessageType.VOTE, "n3", "n2", term + 1, last + 1, term, 0, 0));
        Ready vote = n2.ready();
        assertThat(vote.hardState()).isNotNull();
        assertThat(vote.messages()).anyMatch(m -> m.type() == MessageType.VOTE_RESPONSE && !m.reject());
        assertThat(vote.eagerMessages()).noneMatch(m -> m.type() == MessageType.VOTE_RESPONSE);
    }

    /**
     * A follower that granted the best-ranked candidate's pre-vote (deferring to it) and then refuses a stale one,
     * whose log is behind its own, leaves the race to the best-ranked one instead of outrunning the stale one at
     * once: two pre-vote winners would split the vote.
     */
    @Test
    void aFollowerThatDeferredToTheBestSuccessorDoesNotOutrunAStaleCandidate() {
        List<String> ids = FIVE;
        TestNetwork net = electedFive();
        net.crash("n1");
        String best = rankedAt(net, ids, 0);
        String voter = rankedAt(net, ids, 3);
        Raft v = net.nodes.get(voter);
        long term = v.term();
        long last = v.log().lastIndex();
        reportDown(net, voter);
        v.step(Message.voteRequest(MessageType.PRE_VOTE, best, voter, term + 1, last, v.log().lastTerm(), 0, 0));
        assertThat(v.role()).isEqualTo(Role.FOLLOWER);
        // ranked right before the voter, with a log behind the voter's: an outrun would start at once
        String stale = rankedAt(net, ids, 2);
        v.step(Message.voteRequest(MessageType.PRE_VOTE, stale, voter, term + 1, last - 1, v.log().lastTerm(), 2, 0));
        assertThat(v.role()).isEqualTo(Role.FOLLOWER);
    }

    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    /** Five nodes with n1 elected, so that its followers hold ranks 0 to 3. */
    private static TestNetwork electedFive() {
        TestNetwork net = new TestNetwork(FIVE, id -> reportsOnly(id, FIVE));
        net.tickAll(40);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    /** The follower the dead leader n1 gave {@code rank}. */
    private static String rankedAt(TestNetwork net, List<String> ids, int rank) {
        return ids.stream().filter(id -> !id.equals("n1") && net.nodes.get(id).rank() == rank).findFirst()
                .orElseThrow();
    }

    /**
     * Followers that processed nothing from the leader for a while before it died (their timers well advanced) and
     * are then told it is down start in rank order from the report, not all at once: only the best-ranked one
     * pre-votes at the report.
     */
    @Test
    void followersWhoseTimersRanOnStillStartInRankOrderFromTheReport() {
        List<String> ids = FIVE;
        TestNetwork net = electedFive();
        net.crash("n1");
        RaftConfig c = RaftConfig.of("n2", ids);
        net.tickAll(c.electionTicks() - 2); // nothing heard from n1 since; no timer has fired yet
        assertThat(ids.stream().skip(1).map(id -> net.nodes.get(id).role())).containsOnly(Role.FOLLOWER);
        ids.subList(1, ids.size()).forEach(id -> reportDown(net, id));
        assertThat(ids.stream().skip(1).filter(id -> net.nodes.get(id).role() == Role.PRE_CANDIDATE))
                .containsExactly(rankedAt(net, ids, 0));
    }
}
