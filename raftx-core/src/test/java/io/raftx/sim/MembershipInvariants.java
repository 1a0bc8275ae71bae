package io.raftx.sim;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Membership;
import io.raftx.raft.Raft;
import io.raftx.raft.Ready;
import io.raftx.raft.Role;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Raft's rules for single-server membership changes (Raft thesis §4.1), checked by the {@link InvariantChecker}:
 * <ul>
 *   <li>committed configurations follow each other one node at a time (a majority of the old and of the new
 *       configuration always overlap) and never lose their last voter;</li>
 *   <li>a leader appends a change only once the previous one is committed and it has committed an entry of its own
 *       term (the thesis erratum);</li>
 *   <li>a new leader is a voter of its configuration — or of the committed one while a change removing it is not
 *       committed yet (thesis §4.1: such a server must still stand for election) — elected by a majority of its
 *       configuration's voters;</li>
 *   <li>an entry a leader commits is durable on a majority of the voters of its configuration (learners and removed
 *       nodes never count).</li>
 * </ul>
 */
final class MembershipInvariants {

    /** Reports a broken invariant (throws). */
    interface Failure {
        void fail(String invariant, String detail);
    }

    private final SimCluster cluster;
    private final Failure failure;
    private Membership committed;

    MembershipInvariants(SimCluster cluster, Membership bootstrap, Failure failure) {
        this.cluster = cluster;
        this.committed = bootstrap;
        this.failure = failure;
    }

    /** The configuration of the latest committed CONFIG entry (the bootstrap voters before any). */
    Membership committed() {
        return committed;
    }

    /** A newly committed entry, in index order. */
    void onCommitted(Entry e) {
        if (e.type() != EntryType.CONFIG) {
            return;
        }
        Membership next = Membership.decode(e.data());
        Set<String> changed = changedNodes(committed, next);
        if (changed.size() > 1) {
            failure.fail("single-server change", "committed configuration at " + e.index() + " (" + next.describe()
                    + ") changes " + changed + " at once after " + committed.describe());
        }
        if (next.voters().isEmpty()) {
            failure.fail("single-server change", "committed configuration at " + e.index() + " has no voter");
        }
        committed = next;
    }

    /** Nodes whose role (voter, learner, not a member) differs between two configurations. */
    static Set<String> changedNodes(Membership a, Membership b) {
        Set<String> all = new TreeSet<>(a.members());
        all.addAll(b.members());
        all.removeIf(id -> a.isVoter(id) == b.isVoter(id) && a.isMember(id) == b.isMember(id));
        return all;
    }

    /** A node just became leader: {@code grantedTo.apply(voter, term)} is whom that voter granted its vote in term. */
    void onLeader(SimNode n, BiFunction<String, Long, String> grantedTo) {
        Raft r = n.raft();
        Membership m = r.membership();
        if (!m.isVoter(n.id()) && !committed.isVoter(n.id())) {
            failure.fail("leader is a voter", n.id() + " leads term " + r.term() + " but is not a voter of "
                    + m.describe() + " nor of the committed " + committed.describe());
        }
        long votes = m.voters().stream().filter(v -> v.equals(n.id()) || n.id().equals(grantedTo.apply(v, r.term())))
                .count();
        if (votes < majority(m)) {
            failure.fail("elected by a majority", n.id() + " leads term " + r.term() + " with votes from only "
                    + votes + " of the voters " + m.voters());
        }
    }

    /** A leader is about to persist its Ready: any configuration change it appended must follow the rules. */
    void beforePersist(SimNode n, Ready rd) {
        Raft r = n.raft();
        if (r.role() != Role.LEADER) {
            return;
        }
        for (Entry e : rd.entries()) {
            if (e.type() != EntryType.CONFIG || e.term() != r.term()) {
                continue;
            }
            long commit = r.commitIndex();
            for (long i = e.index() - 1; i > commit; i--) {
                Entry before = r.entry(i);
                if (before != null && before.type() == EntryType.CONFIG) {
                    failure.fail("one change at a time", n.id() + " appends a configuration at " + e.index()
                            + " while the one at " + i + " is not committed (commit " + commit + ")");
                }
            }
            if (termAt(r, commit) != r.term()) {
                failure.fail("one change at a time", n.id() + " appends a configuration at " + e.index()
                        + " in term " + r.term() + " before committing an entry of that term (commit " + commit + ")");
            }
        }
    }

    private static long termAt(Raft r, long index) {
        Entry e = r.entry(index);
        if (e != null) {
            return e.term();
        }
        return r.latestSnapshot() != null && r.latestSnapshot().index() == index ? r.latestSnapshot().term() : 0;
    }

    /** {@code leader} was the first to commit {@code e}: a majority of its voters must hold it durably. */
    void onLeaderCommit(SimNode leader, Entry e) {
        Membership m = leader.raft().membership();
        long holders = m.voters().stream().filter(v -> holdsDurably(v, e)).count();
        if (holders < majority(m)) {
            failure.fail("commit by a majority", leader.id() + " committed " + e + " but only " + holders
                    + " of the voters " + m.voters() + " stored it");
        }
    }

    private static int majority(Membership m) {
        return m.voters().size() / 2 + 1;
    }

    private boolean holdsDurably(String id, Entry e) {
        SimStorage s = cluster.node(id).storage();
        return s.snapshotIndex() >= e.index() || e.equals(s.entry(e.index()));
    }
}
