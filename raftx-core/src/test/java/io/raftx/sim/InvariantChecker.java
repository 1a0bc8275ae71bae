package io.raftx.sim;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.Raft;
import io.raftx.raft.ReadState;
import io.raftx.raft.Ready;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Raft's safety properties, checked after every simulation step and at every Ready. All checks are incremental
 * (each looks only at what changed) so they can run millions of times per test.
 *
 * <p>The committed entries form a prefix 1..n of the log; {@link #committed} holds it as first observed on any node,
 * and every node's log up to its commit index is compared against it exactly once per incarnation.
 */
final class InvariantChecker {

    /** Log Matching, checked per (index, term): same content and same preceding term implies identical prefixes. */
    private record IndexTerm(long index, long term) {
    }

    private record Fingerprint(long prevTerm, Entry entry) {
    }

    private record VoterTerm(String voter, long term) {
    }

    /** What we last saw of one node; reset at restart where the property is per incarnation. */
    private static final class Watch {
        int incarnation;
        long verifiedCommit;
        long applied;
        Role role;
        long term;
    }

    private final SimCluster cluster;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private long newestLeaderTerm;
    private final List<Entry> committed = new ArrayList<>();
    /** committedDigests.get(i) is the state-machine digest after applying committed entries 1..i (index 0: none). */
    private final List<Long> committedDigests = new ArrayList<>(List.of(0L));
    private final Set<Long> committedProposals = new HashSet<>();
    private final Map<IndexTerm, Fingerprint> fingerprints = new HashMap<>();
    private final Map<String, Watch> watches = new HashMap<>();
    private final Map<VoterTerm, String> votesGranted = new HashMap<>();
    private MembershipInvariants membership;

    InvariantChecker(SimCluster cluster) {
        this.cluster = cluster;
    }

    /** The configuration the cluster boots with (the voters every initial node is configured with). */
    void bootstrap(io.raftx.raft.Membership initial) {
        membership = new MembershipInvariants(cluster, initial, this::fail);
    }

    /** The latest committed configuration. */
    io.raftx.raft.Membership committedMembership() {
        return membership.committed();
    }

    /** The committed prefix as observed so far: entry i is at position i - 1. */
    List<Entry> committed() {
        return committed;
    }

    private Watch watch(SimNode n) {
        Watch w = watches.computeIfAbsent(n.id(), k -> new Watch());
        if (w.incarnation != n.incarnation()) {
            // A new incarnation re-verifies its committed prefix and re-applies after its snapshot (or from 1).
            w.incarnation = n.incarnation();
            w.verifiedCommit = 0;
            w.applied = 0;
            w.role = null;
            SimSnapshot s = n.storage().snapshot();
            if (s != null) {
                checkSnapshot(n, s);
                w.applied = s.index();
            }
        }
        return w;
    }

    /** After every step: election safety, commit safety, and that each node's memory matches its storage. */
    void afterStep() {
        for (SimNode n : cluster.nodes()) {
            if (!n.isUp()) {
                continue;
            }
            Raft r = n.raft();
            Watch w = watch(n);
            if (r.role() != w.role || r.term() != w.term) {
                cluster.trace("role", n.id() + " " + w.role + "->" + r.role() + " t" + r.term());
                w.role = r.role();
                w.term = r.term();
                if (r.role() == Role.LEADER) {
                    onLeader(n);
                }
            }
            observeCommit(n);
            checkMirrorsStorage(n, w);
            checkLease(n);
        }
    }

    /** Election Safety (at most one leader per term, ever) and Leader Completeness for the newest leader. */
    private void onLeader(SimNode n) {
        long term = n.raft().term();
        String previous = leaderOfTerm.putIfAbsent(term, n.id());
        if (previous != null && !previous.equals(n.id())) {
            fail("election safety", "two leaders in term " + term + ": " + previous + " and " + n.id());
        }
        if (previous != null) {
            return;
        }
        membership.onLeader(n, (voter, t) -> votesGranted.get(new VoterTerm(voter, t)));
        cluster.stats().elections++;
        // Only a leader of a term above every earlier leader's is sure to postdate every commit seen so far; a stale
        // leader (its votes arrived late) of a lower term may legitimately miss entries committed in later terms.
        if (term > newestLeaderTerm) {
            newestLeaderTerm = term;
            for (int i = (int) n.raft().firstIndex() - 1; i < committed.size(); i++) {
                Entry have = n.raft().entry(i + 1);
                if (!committed.get(i).equals(have)) {
                    fail("leader completeness", n.id() + " leads term " + term + " but holds " + have
                            + " where " + committed.get(i) + " is committed");
                }
            }
        }
    }

    /** Committed entries never change, and a node's commit index never moves back within an incarnation. */
    private void observeCommit(SimNode n) {
        Watch w = watch(n);
        Raft r = n.raft();
        long commit = r.commitIndex();
        if (commit < w.verifiedCommit) {
            fail("commit monotonic", n.id() + " commit went back from " + w.verifiedCommit + " to " + commit);
        }
        // Entries a snapshot replaced are covered by the snapshot's digest check instead.
        for (long i = Math.max(w.verifiedCommit + 1, r.firstIndex()); i <= commit; i++) {
            Entry e = r.entry(i);
            if (e == null) {
                fail("commit within log", n.id() + " commit " + commit + " but has no entry " + i);
            }
            if (i <= committed.size()) {
                Entry known = committed.get((int) (i - 1));
                if (!known.equals(e)) {
                    fail("state machine safety", n.id() + " committed " + e + " at " + i + " but " + known
                            + " was committed there before");
                }
            } else {
                addCommitted(e);
                if (r.role() == Role.LEADER) {
                    membership.onLeaderCommit(n, e);
                }
            }
        }
        w.verifiedCommit = commit;
    }

    private void addCommitted(Entry e) {
        committed.add(e);
        committedDigests.add(SimSnapshot.chain(committedDigests.get(committedDigests.size() - 1), e));
        membership.onCommitted(e);
        long pid = ClientDriver.proposalIdOf(e);
        if (pid < 0) {
            return;
        }
        if (!committedProposals.add(pid)) {
            fail("no duplicate commit", "proposal p" + pid + " committed twice, again at " + e.index());
        }
        Proposal p = cluster.client().get(pid);
        if (p == null) {
            fail("no phantom commit", "entry " + e + " carries p" + pid + " that no node accepted");
        } else if (p.outcome() == ProposalOutcome.Status.TRUNCATED) {
            fail("truncated never committed", p + " was reported TRUNCATED but is now committed at " + e.index());
        }
    }

    /** After its Ready loop a node's memory must equal its storage, and it must have applied all it committed. */
    private void checkMirrorsStorage(SimNode n, Watch w) {
        Raft r = n.raft();
        SimStorage s = n.storage();
        HardState hs = s.hardState();
        // The core drops entries a snapshot covers at restart while storage may keep them until compaction.
        boolean lastEntryDiffers = r.lastIndex() >= r.firstIndex() && !Objects.equals(r.entry(r.lastIndex()),
                s.entry(s.lastIndex()));
        if (r.lastIndex() != s.lastIndex() || r.term() != hs.term() || r.commitIndex() != hs.commit()
                || lastEntryDiffers) {
            fail("ready contract", n.id() + " memory (term " + r.term() + ", last " + r.lastIndex() + ", commit "
                    + r.commitIndex() + ") differs from storage (" + hs + ", last " + s.lastIndex()
                    + ") after all Readies were handled");
        }
        if (w.applied != r.commitIndex()) {
            fail("apply completeness", n.id() + " applied up to " + w.applied + " but commit is " + r.commitIndex()
                    + " after all Readies were handled");
        }
    }

    /** The durable state only moves forward: term, vote within a term, commit, and committed entries. */
    void beforePersist(SimNode n, Ready rd) {
        membership.beforePersist(n, rd);
        HardState old = n.storage().hardState();
        HardState hs = rd.hardState();
        if (hs != null) {
            if (hs.term() < old.term()) {
                fail("durable term monotonic", n.id() + " would persist term " + hs.term() + " over " + old.term());
            }
            if (hs.term() == old.term() && old.votedFor() != null && !old.votedFor().equals(hs.votedFor())) {
                fail("one vote per term", n.id() + " voted for " + old.votedFor() + " in term " + hs.term()
                        + " and now for " + hs.votedFor());
            }
            if (hs.commit() < old.commit()) {
                fail("durable commit monotonic", n.id() + " would persist commit " + hs.commit() + " over " + old.commit());
            }
        }
        List<Entry> entries = rd.entries();
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        if (first > n.storage().lastIndex() + 1) {
            fail("contiguous log", n.id() + " would append " + first + " after stored last " + n.storage().lastIndex());
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.index() != first + i) {
                fail("contiguous log", n.id() + " Ready entries not contiguous: " + entries);
            }
            if (e.index() <= n.storage().snapshotIndex()) {
                fail("durable committed entries", n.id() + " would write " + e + " below its snapshot at "
                        + n.storage().snapshotIndex());
            }
            if (e.index() <= old.commit() && !e.equals(n.storage().entry(e.index()))) {
                fail("durable committed entries", n.id() + " would overwrite stored committed "
                        + n.storage().entry(e.index()) + " with " + e);
            }
        }
    }

    /** Log Matching over every entry any node ever persisted. */
    void afterPersist(SimNode n, Ready rd) {
        SimStorage s = n.storage();
        if (s.hardState().commit() > s.lastIndex()) {
            fail("durable commit within log", n.id() + " stored commit " + s.hardState().commit()
                    + " beyond stored last index " + s.lastIndex());
        }
        for (Entry e : rd.entries()) {
            Fingerprint fp = new Fingerprint(s.term(e.index() - 1), e);
            Fingerprint known = fingerprints.putIfAbsent(new IndexTerm(e.index(), e.term()), fp);
            if (known != null && !known.equals(fp)) {
                fail("log matching", n.id() + " stored " + e + " after term " + fp.prevTerm() + " but " + known.entry()
                        + " after term " + known.prevTerm() + " exists elsewhere with the same index and term");
            }
        }
    }

    /**
     * Messages that promise durable state leave only once it is durable (Ready contract): a vote grant needs the
     * stored vote, an append acknowledgement the stored entries, and every message but a pre-vote (which speaks
     * of a future term) carries the stored term. One vote per term holds across incarnations.
     */
    void onSend(SimNode n, Message m) {
        HardState hs = n.storage().hardState();
        boolean futureTerm = m.type() == MessageType.PRE_VOTE
                || (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject());
        if (!futureTerm && m.term() != hs.term()) {
            fail("durable before sent", n.id() + " sends " + m + " but its stored term is " + hs.term());
        }
        if (m.type() == MessageType.VOTE_RESPONSE && !m.reject()) {
            if (!m.to().equals(hs.votedFor())) {
                fail("durable before sent", n.id() + " grants " + m.to() + " while its stored vote is " + hs);
            }
            String earlier = votesGranted.putIfAbsent(new VoterTerm(n.id(), m.term()), m.to());
            if (earlier != null && !earlier.equals(m.to())) {
                fail("one vote per term", n.id() + " granted " + earlier + " and " + m.to() + " in term " + m.term());
            }
        }
        if (m.type() == MessageType.APPEND_RESPONSE && !m.reject() && m.index() > n.storage().snapshotIndex()) {
            Entry stored = n.storage().entry(m.index());
            if (stored == null || !stored.equals(n.raft().entry(m.index()))) {
                fail("durable before sent", n.id() + " acknowledges index " + m.index() + " but stores " + stored);
            }
        }
    }

    /** A snapshot (taken or installed) holds exactly the committed prefix up to its index. */
    void onSnapshot(SimNode n, SimSnapshot s) {
        checkSnapshot(n, s);
        Watch w = watch(n);
        w.applied = Math.max(w.applied, s.index());
    }

    private void checkSnapshot(SimNode n, SimSnapshot s) {
        long i = s.index();
        if (i > committed.size()) {
            fail("snapshot of committed state", n.id() + " has " + s.meta() + " beyond the known commit " + committed.size());
        }
        if (committedDigests.get((int) i) != s.digest() || committed.get((int) (i - 1)).term() != s.meta().term()) {
            fail("snapshot of committed state", n.id() + " has " + s.meta() + " whose state differs from applying the"
                    + " committed entries 1.." + i);
        }
    }

    /** The largest committed index seen anywhere so far: a read started now must observe at least this much. */
    long knownCommit() {
        return committed.size();
    }

    /** ReadIndex linearizability: a confirmed read index covers every entry committed before the read started. */
    void onReadState(SimNode n, ReadState r, ReadClient.Read read) {
        if (read == null || !read.node().equals(n.id()) || read.incarnation() != n.incarnation()) {
            fail("read origin", n.id() + "#" + n.incarnation() + " answered " + r + " for " + read);
        }
        if (r.ok() && r.index() < read.minIndex()) {
            fail("linearizable read", n.id() + " confirmed read " + r.requestId() + " at index " + r.index()
                    + " but " + read.minIndex() + " was committed before it was requested");
        }
    }

    /**
     * A read was served by {@code n} from its state machine at {@code index}: that state must be exactly the
     * committed prefix up to {@code index}, and no older than any write completed (or even committed) before the
     * read began, whether the read went through ReadIndex, a follower or the lease.
     */
    void onReadServed(SimNode n, ReadClient.Read read, long index, long digest) {
        if (index > committed.size() || committedDigests.get((int) index) != digest) {
            fail("read returns committed state", n.id() + " served " + read + " from state at " + index
                    + " that is not the committed state there");
        }
        if (index < read.ackedWrite()) {
            fail("linearizable read", n.id() + " served " + read + " at index " + index + " but the write at "
                    + read.ackedWrite() + " had completed before the read began");
        }
        if (index < read.minIndex()) {
            fail("linearizable read", n.id() + " served " + read + " at index " + index + " but " + read.minIndex()
                    + " was committed before the read began");
        }
    }

    /** Lease reads: while a leader's lease holds no other leader can commit, so it must know every commit. */
    private void checkLease(SimNode n) {
        if (n.raft().role() == Role.LEADER && n.raft().leaseValid() && n.raft().commitIndex() < committed.size()) {
            fail("lease safety", n.id() + " holds a read lease in term " + n.raft().term() + " with commit "
                    + n.raft().commitIndex() + " but " + committed.size() + " is committed");
        }
    }

    /** Applied in order, without gaps, exactly what was committed. */
    void onApply(SimNode n, List<Entry> entries) {
        observeCommit(n);
        Watch w = watch(n);
        for (Entry e : entries) {
            if (e.index() != w.applied + 1) {
                fail("apply order", n.id() + " applied " + e.index() + " after " + w.applied);
            }
            if (e.index() > committed.size() || !committed.get((int) (e.index() - 1)).equals(e)) {
                fail("apply committed only", n.id() + " applied " + e + " which is not the committed entry "
                        + (e.index() <= committed.size() ? committed.get((int) (e.index() - 1)) : "(none yet)"));
            }
            w.applied = e.index();
        }
    }

    /** An outcome matches the proposal it answers and what was really committed. */
    void onOutcome(SimNode n, ProposalOutcome o) {
        observeCommit(n);
        Proposal p = cluster.client().get(o.proposalId());
        if (p == null || !p.node().equals(n.id()) || p.incarnation() != n.incarnation()) {
            fail("outcome origin", n.id() + "#" + n.incarnation() + " reported " + o + " for " + p);
        }
        if (p.outcome() != null) {
            fail("one outcome per proposal", n.id() + " reported " + o + " but " + p + " already had one");
        }
        if (o.index() != p.index()) {
            fail("outcome index", o + " does not match " + p);
        }
        Entry at = o.index() <= committed.size() ? committed.get((int) (o.index() - 1)) : null;
        if (o.status() == ProposalOutcome.Status.COMMITTED) {
            if (at == null || at.term() != p.result().term() || !Arrays.equals(at.data(), p.data())) {
                fail("committed outcome", o + " for " + p + " but the committed entry there is " + at);
            }
        } else if (committedProposals.contains(p.id()) || (at != null && at.term() == p.result().term())) {
            fail("truncated outcome", o + " for " + p + " but it is committed (entry there: " + at + ")");
        }
    }

    /** At the end of a run: no TRUNCATED proposal was committed, and live logs agree up to their commit. */
    void finalCheck() {
        for (Proposal p : cluster.client().all()) {
            if (p.outcome() == ProposalOutcome.Status.TRUNCATED && committedProposals.contains(p.id())) {
                fail("truncated never committed", p + " was committed");
            }
        }
        for (SimNode n : cluster.nodes()) {
            if (n.isUp()) {
                long first = n.raft().firstIndex();
                List<Entry> log = n.raft().entries(first, n.raft().commitIndex());
                if (!log.equals(committed.subList((int) first - 1, (int) first - 1 + log.size()))) {
                    fail("logs identical up to commit", n.id() + " log differs from the committed prefix");
                }
            }
        }
    }

    private void fail(String invariant, String detail) {
        throw cluster.violation(invariant, detail, null);
    }
}
