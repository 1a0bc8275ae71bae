package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the volatile cores against one reference history, after every Ready of every node:
 * <ul>
 *   <li>each node applies ops in index order without gaps (or jumps by an in-memory snapshot);</li>
 *   <li>the op applied at an index is the same on every node, forever (applied sequences are prefixes of one
 *       another, across crashes too);</li>
 *   <li>a node's whole keyspace equals the reference keyspace at its applied index (so snapshots and TTL expiries
 *       agree everywhere);</li>
 *   <li>an acknowledged write is the op at its index, and a strong read reflects every write acknowledged before
 *       it was asked.</li>
 * </ul>
 */
public final class VolatileInvariants {

    private record Placed(long epoch, VolatileOp op) {
    }

    private final List<Placed> ops = new ArrayList<>();            // index i at position i - 1
    private final List<String> fingerprints = new ArrayList<>();   // reference keyspace after index i at position i
    private final VolatileStore reference = new VolatileStore();
    private final Map<String, Long> appliedByNode = new HashMap<>();
    private long maxAckedIndex;

    public VolatileInvariants() {
        fingerprints.add(reference.fingerprint());
    }

    public long maxAckedIndex() {
        return maxAckedIndex;
    }

    long knownCommitted() {
        return ops.size();
    }

    /** The node restarted with no memory. */
    public void restarted(String id) {
        appliedByNode.put(id, 0L);
    }

    public void onReady(VolatileReplica node, VolatileReady ready) {
        String id = node.id();
        long applied = appliedByNode.getOrDefault(id, 0L);
        for (AppliedChange c : ready.applied()) {
            if (c.isSnapshot()) {
                check(c.index() <= ops.size(), id + " installed a snapshot at " + c.index() + " beyond anything applied ("
                        + ops.size() + ")");
                check(c.index() == 0 || ops.get((int) c.index() - 1).epoch() == c.epoch(),
                        id + " installed a snapshot at " + c.index() + "@" + c.epoch() + " that contradicts the history");
                check(c.index() > applied, id + " rolled back from " + applied + " to a snapshot at " + c.index());
            } else {
                check(c.index() == applied + 1, id + " applied " + c.index() + " right after " + applied);
                place(id, c);
            }
            applied = c.index();
        }
        appliedByNode.put(id, applied);
        check(node.appliedIndex() == applied, id + " reports applied " + node.appliedIndex() + " but applied " + applied);
        check(node.fingerprint().equals(fingerprints.get((int) applied)), id + "'s keyspace at " + applied
                + " differs from the reference:\n  node: " + node.fingerprint() + "\n  ref:  " + fingerprints.get((int) applied));
    }

    private void place(String id, AppliedChange c) {
        if (c.index() <= ops.size()) {
            Placed p = ops.get((int) c.index() - 1);
            check(p.epoch() == c.epoch() && p.op().equals(c.op()), id + " applied " + c.index() + "@" + c.epoch()
                    + " " + c.op() + " where " + p.epoch() + " " + p.op() + " was applied before");
            return;
        }
        check(c.index() == ops.size() + 1, id + " applied " + c.index() + " beyond the known history " + ops.size());
        ops.add(new Placed(c.epoch(), c.op()));
        reference.apply(new SequencedOp(c.index(), c.epoch(), c.op()));
        fingerprints.add(reference.fingerprint());
    }

    public void onWriteOutcome(WriteOutcome o, VolatileOp proposed) {
        if (o.status() != WriteOutcome.Status.COMMITTED) {
            return;
        }
        check(o.index() <= ops.size(), "write " + o.requestId() + " acknowledged at " + o.index() + " before it was applied");
        Placed p = ops.get((int) o.index() - 1);
        check(p.epoch() == o.epoch() && p.op().equals(proposed), "write " + o.requestId() + " acknowledged at "
                + o.index() + " but the op there is " + p.op());
        maxAckedIndex = Math.max(maxAckedIndex, o.index());
    }

    /** A strong read asked when writes up to {@code ackedWhenAsked} were acknowledged returned {@code r}. */
    public void onStrongRead(ReadResult r, long ackedWhenAsked) {
        if (r.ok()) {
            check(r.index() >= ackedWhenAsked, "strong read " + r.requestId() + " served at " + r.index()
                    + " missed writes acknowledged up to " + ackedWhenAsked + " before it was asked");
        }
    }

    /** Every live node holds every acknowledged write. */
    public void checkAllHoldAcknowledged(Iterable<VolatileReplica> live) {
        for (VolatileReplica n : live) {
            check(n.appliedIndex() >= maxAckedIndex, n.id() + " applied only " + n.appliedIndex()
                    + " but writes up to " + maxAckedIndex + " were acknowledged");
        }
    }

    public static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
