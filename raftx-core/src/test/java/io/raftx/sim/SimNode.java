package io.raftx.sim;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.Message;
import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.Raft;
import io.raftx.raft.RaftConfig;
import io.raftx.raft.ReadState;
import io.raftx.raft.Ready;
import io.raftx.raft.Role;
import io.raftx.raft.SnapshotMeta;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One simulated server: a {@link Raft} core (null while crashed), its {@link SimStorage} and an in-memory state
 * machine (a digest of everything applied). It runs the Ready contract exactly and can die at any point inside it.
 */
public final class SimNode {

    /** What the node's surroundings do with its output; implemented by {@link SimCluster}. */
    interface Host {
        void send(SimNode from, Message m);

        /** Called before a Ready's durable part is written, while the old stored state is still visible. */
        void beforePersist(SimNode node, Ready ready);

        void afterPersist(SimNode node, Ready ready);

        /** The node snapshotted its own state machine. */
        void snapshotTaken(SimNode node, SimSnapshot snapshot);

        /** A snapshot from the leader replaces the node's state machine. */
        void snapshotInstalled(SimNode node, SimSnapshot snapshot);

        void applied(SimNode node, List<Entry> entries);

        void outcome(SimNode node, ProposalOutcome outcome);

        void readState(SimNode node, ReadState read);

        /** Asked once per Ready: where (if anywhere) the node dies while handling it. */
        CrashPoint crashPoint(SimNode node, Ready ready);

        void crashed(SimNode node, CrashPoint point);
    }

    /** A runtime handles Readies until hasReady() is false; far more than this in a row means it never would be. */
    static final int MAX_READIES_PER_INPUT = 10_000;

    /**
     * How many applied, durable entries the core keeps in memory, by node and incarnation: small, so that lagging
     * followers, conflicts and restarts read older entries back from storage (the real runtime keeps thousands).
     */
    private static final int[] RECENT_ENTRIES = {0, 1, 3, 16};

    private final String id;
    private final RaftConfig config;
    private final SimStorage storage = new SimStorage();
    private final Host host;
    private final long tickPhase;
    private final RuntimeDefect defect;
    private final AutoSnapshot autoSnapshot;
    /** A defensive runtime: it leaves its Ready loop at an empty Ready even if hasReady() still says true. */
    private boolean stopsOnEmptyReady;
    private Raft raft;
    /** Decommissioned: down for good, never restarted (a removed member, or a spare that was never added). */
    private boolean retired;
    private int incarnation;
    private long appliedIndex;
    private long digest;
    private CrashPoint armedCrash;
    /** Data of the last SNAPSHOT message delivered, for the Ready that asks to install it. */
    private SimSnapshot arrivedSnapshot;

    SimNode(String id, RaftConfig config, Host host, long tickPhase, RuntimeDefect defect, AutoSnapshot autoSnapshot) {
        this.id = id;
        this.config = config;
        this.host = host;
        this.tickPhase = tickPhase;
        this.defect = defect;
        this.autoSnapshot = autoSnapshot;
    }

    public String id() {
        return id;
    }

    public boolean isUp() {
        return raft != null;
    }

    public boolean isRetired() {
        return retired;
    }

    void setStopsOnEmptyReady(boolean stops) {
        stopsOnEmptyReady = stops;
    }

    /** Shuts the node down for good (its storage is kept for reports, but it never restarts). */
    void retire() {
        crash();
        retired = true;
    }

    /** The live core; throws if the node is down. */
    public Raft raft() {
        if (raft == null) {
            throw new IllegalStateException(id + " is down");
        }
        return raft;
    }

    public SimStorage storage() {
        return storage;
    }

    /** Restarts so far (1 for the first start). Proposal outcomes and apply order are per incarnation. */
    public int incarnation() {
        return incarnation;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    /** The state machine: a digest chained over every applied entry. */
    public long digest() {
        return digest;
    }

    long tickPhase() {
        return tickPhase;
    }

    boolean isArmed() {
        return armedCrash != null;
    }

    /** Boots from storage; the in-memory state machine restarts from the stored snapshot, or from nothing. */
    void start(RandomGenerator random) {
        int recent = RECENT_ENTRIES[Math.floorMod(id.hashCode() + incarnation, RECENT_ENTRIES.length)];
        raft = new Raft(config, storage.restore(), random, storage, recent);
        incarnation++;
        SimSnapshot s = storage.snapshot();
        appliedIndex = s == null ? 0 : s.index();
        digest = s == null ? 0 : s.digest();
        armedCrash = null;
        arrivedSnapshot = null;
    }

    /** Everything in memory is lost: the core, the state machine, armed crashes. Storage stays. */
    void crash() {
        storage.crashed();
        raft = null;
        armedCrash = null;
        arrivedSnapshot = null;
    }

    /** The node will die at {@code point} while handling its next Ready. */
    void armCrash(CrashPoint point) {
        armedCrash = point;
    }

    /** Delivers a SNAPSHOT message together with the data streamed beside it. */
    void receiveSnapshot(Message m, SimSnapshot data) {
        arrivedSnapshot = data;
        raft.step(m);
        processReadies();
    }

    /**
     * The runtime's snapshot policy: snapshot the state machine at the applied index and compact the log up to
     * {@code keep} entries before it. Returns false if there is nothing new to snapshot.
     */
    boolean snapshotAndCompact(long keep) {
        boolean taken = takeSnapshot(keep);
        processReadies();
        return taken;
    }

    private boolean takeSnapshot(long keep) {
        SnapshotMeta latest = raft.latestSnapshot();
        if (appliedIndex == 0 || (latest != null && latest.index() >= appliedIndex)) {
            return false;
        }
        SimSnapshot s = new SimSnapshot(raft.snapshots().taken(appliedIndex), digest);
        host.snapshotTaken(this, s);
        storage.saveSnapshot(s);
        long upTo = Math.max(raft.firstIndex() - 1, appliedIndex - keep);
        raft.snapshots().compactLog(upTo);
        storage.compact(upTo);
        return true;
    }

    private void maybeAutoSnapshot() {
        SnapshotMeta latest = raft.latestSnapshot();
        if (autoSnapshot != null && autoSnapshot.due(appliedIndex, latest == null ? 0 : latest.index())) {
            takeSnapshot(autoSnapshot.keep());
        }
    }

    /**
     * Follows the Ready contract until the core has nothing more to do (or the node dies at its armed point), as a
     * runtime's loop does; fails if the core never runs out of Readies (the runtime would spin forever).
     */
    void processReadies() {
        int readies = 0;
        while (raft != null && raft.hasReady()) {
            if (++readies > MAX_READIES_PER_INPUT) {
                throw new IllegalStateException(id + ": the Ready loop does not end: hasReady() is still true after "
                        + MAX_READIES_PER_INPUT + " Readies in a row (" + raft + ")");
            }
            Ready rd = raft.ready();
            if (stopsOnEmptyReady && rd.isEmpty()) {
                raft.advance(rd);
                return;
            }
            CrashPoint dieAt = armedCrash != null ? armedCrash : host.crashPoint(this, rd);
            rd.eagerMessages().forEach(m -> host.send(this, m));
            if (defect == RuntimeDefect.SENDS_BEFORE_PERSIST) {
                rd.messages().forEach(m -> host.send(this, m));
            }
            if (crashIf(dieAt, CrashPoint.AFTER_EAGER_SEND)) {
                return;
            }
            if (rd.snapshot() != null) {
                installSnapshot(rd.snapshot());
            }
            host.beforePersist(this, rd);
            writeDurably(rd);
            host.afterPersist(this, rd);
            if (crashIf(dieAt, CrashPoint.AFTER_PERSIST)) {
                return;
            }
            if (defect != RuntimeDefect.SENDS_BEFORE_PERSIST) {
                rd.messages().forEach(m -> host.send(this, m));
            }
            if (crashIf(dieAt, CrashPoint.AFTER_SEND)) {
                return;
            }
            apply(rd.committedEntries());
            rd.outcomes().forEach(o -> host.outcome(this, o));
            rd.readStates().forEach(r -> host.readState(this, r));
            raft.advance(rd);
            maybeAutoSnapshot();
        }
    }

    private void installSnapshot(SnapshotMeta meta) {
        SimSnapshot s = arrivedSnapshot;
        arrivedSnapshot = null;
        if (s == null || !s.meta().equals(meta)) {
            throw new IllegalStateException(id + " asked to install " + meta + " but the data that arrived is " + s);
        }
        host.snapshotInstalled(this, s);
        storage.installSnapshot(s);
        appliedIndex = s.index();
        digest = s.digest();
    }

    private void apply(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        host.applied(this, entries);
        for (Entry e : entries) {
            digest = SimSnapshot.chain(digest, e);
        }
        appliedIndex = entries.get(entries.size() - 1).index();
    }

    private void writeDurably(Ready rd) {
        HardState hs = rd.hardState();
        List<Entry> entries = rd.entries();
        if (defect == RuntimeDefect.FORGETS_VOTE && hs != null) {
            hs = new HardState(hs.term(), null, hs.commit());
        }
        if (defect == RuntimeDefect.LOSES_FOLLOWER_ENTRIES && raft.role() != Role.LEADER) {
            entries = List.of();
            hs = hs == null ? null : new HardState(hs.term(), hs.votedFor(), Math.min(hs.commit(), storage.lastIndex()));
        }
        if (rd.mustSync() || defect != RuntimeDefect.NONE) {
            storage.write(hs, entries);
        } else if (hs != null) {
            storage.writeUnsynced(hs);
        }
    }

    private boolean crashIf(CrashPoint dieAt, CrashPoint point) {
        if (dieAt != point) {
            return false;
        }
        crash();
        host.crashed(this, point);
        return true;
    }

    @Override
    public String toString() {
        if (raft == null) {
            return id + "{" + (retired ? "RETIRED" : "DOWN") + " stored term=" + storage.hardState().term() + " vote=" + storage.hardState().votedFor()
                    + " commit=" + storage.hardState().commit() + " last=" + storage.lastIndex() + " snap="
                    + storage.snapshotIndex() + "}";
        }
        return raft + " first=" + raft.firstIndex() + " rank=" + raft.rank() + " inc=" + incarnation;
    }
}
