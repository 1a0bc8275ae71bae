package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link RaftStorage} shares. Subclasses say how to create one and how to "restart" it
 * (close, then open the same durable state again).
 */
abstract class RaftStorageContractTest {

    protected RaftStorage storage;

    protected abstract RaftStorage create() throws Exception;

    /** Closes {@code old} (after it synced) and opens the same durable state again. */
    protected abstract RaftStorage reopen(RaftStorage old) throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        storage = create();
    }

    @AfterEach
    void tearDown() {
        if (storage != null) {
            storage.close();
        }
    }

    protected void restart() throws Exception {
        storage = reopen(storage);
    }

    protected LogStore log() {
        return storage.log();
    }

    static byte[] payload(long index, long term) {
        SplittableRandom r = new SplittableRandom(index * 1_000_003L + term);
        byte[] b = new byte[(int) ((index * 7 + term) % 300)];
        r.nextBytes(b);
        return b;
    }

    static Entry entry(long index, long term) {
        return new Entry(term, index, EntryType.NORMAL, payload(index, term));
    }

    /** Entries {@code [from, to]} all of {@code term}. */
    static List<Entry> run(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term));
        }
        return out;
    }

    // ---- empty log

    @Test
    void freshStorageIsEmpty() {
        assertThat(log().firstIndex()).isEqualTo(1);
        assertThat(log().lastIndex()).isZero();
        assertThat(log().term(0)).isZero();
        assertThat(log().entries(1, 0)).isEmpty();
        assertThat(storage.hardState().load()).isEqualTo(HardState.EMPTY);
        RestoredState restored = storage.recover();
        assertThat(restored.hardState()).isEqualTo(HardState.EMPTY);
        assertThat(restored.log()).isEmpty();
        assertThat(restored.appliedIndex()).isZero();
        assertThatThrownBy(() -> log().entry(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().term(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ---- append and read

    @Test
    void appendsAndReads() {
        storage.persist(null, run(1, 3, 1));
        storage.persist(null, run(4, 10, 2));
        assertThat(log().firstIndex()).isEqualTo(1);
        assertThat(log().lastIndex()).isEqualTo(10);
        assertThat(log().entry(3)).isEqualTo(entry(3, 1));
        assertThat(log().entry(4)).isEqualTo(entry(4, 2));
        assertThat(log().term(0)).isZero();
        assertThat(log().term(3)).isEqualTo(1);
        assertThat(log().term(10)).isEqualTo(2);
        assertThat(log().entries(2, 5)).containsExactly(entry(2, 1), entry(3, 1), entry(4, 2), entry(5, 2));
        assertThat(log().entries(1, 10)).hasSize(10);
        assertThat(log().entries(11, 10)).isEmpty();
        assertThatThrownBy(() -> log().entries(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().entries(5, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().entries(5, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().entry(11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().term(11)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keepsTypesAndEmptyAndLargePayloads() {
        byte[] big = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(big);
        List<Entry> batch = List.of(Entry.noop(1, 1), new Entry(1, 2, EntryType.NORMAL, new byte[0]),
                new Entry(1, 3, EntryType.NORMAL, big), new Entry(2, 4, EntryType.NORMAL, "x".getBytes()));
        storage.persist(null, batch);
        assertThat(log().entries(1, 4)).containsExactlyElementsOf(batch);
        assertThat(log().entry(1).type()).isEqualTo(EntryType.NOOP);
    }

    @Test
    void entriesStopAtMaxBytesButReturnAtLeastOne() {
        List<Entry> batch = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            batch.add(new Entry(1, i, EntryType.NORMAL, new byte[100])); // sizeBytes 124
        }
        storage.persist(null, batch);
        assertThat(log().entries(1, 5, 0)).containsExactly(batch.get(0));
        assertThat(log().entries(1, 5, 124)).containsExactly(batch.get(0));
        assertThat(log().entries(1, 5, 248)).containsExactly(batch.get(0), batch.get(1));
        assertThat(log().entries(2, 5, 300)).containsExactly(batch.get(1), batch.get(2));
        assertThat(log().entries(1, 5, Long.MAX_VALUE)).hasSize(5);
        assertThat(log().entries(1, 5, 10_000)).hasSize(5);
        assertThatThrownBy(() -> log().entries(1, 5, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAppendDoesNothing() {
        storage.persist(null, run(1, 2, 1));
        log().append(List.of());
        storage.persist(null, List.of());
        assertThat(log().lastIndex()).isEqualTo(2);
    }

    @Test
    void rejectsBadAppends() {
        storage.persist(null, run(1, 5, 2));
        // gap
        assertThatThrownBy(() -> log().append(run(7, 8, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
        // not contiguous inside the batch
        assertThatThrownBy(() -> log().append(List.of(entry(6, 2), entry(8, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not contiguous");
        // decreasing term against the log
        assertThatThrownBy(() -> log().append(run(6, 6, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("term");
        // decreasing term inside the batch
        assertThatThrownBy(() -> log().append(List.of(entry(6, 3), entry(7, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("term");
        // index 0 cannot exist
        assertThat(log().lastIndex()).isEqualTo(5);
        assertThat(log().entries(1, 5)).isEqualTo(run(1, 5, 2));
    }

    // ---- conflicting suffixes

    @Test
    void appendReplacesTheSuffixFromItsFirstIndex() {
        storage.persist(null, run(1, 10, 1));
        storage.persist(null, run(6, 7, 2));
        assertThat(log().lastIndex()).isEqualTo(7);
        assertThat(log().entries(1, 7)).containsExactlyElementsOf(concat(run(1, 5, 1), run(6, 7, 2)));
        assertThat(log().term(7)).isEqualTo(2);
        assertThatThrownBy(() -> log().entry(8)).isInstanceOf(IndexOutOfBoundsException.class);

        // a longer replacement
        storage.persist(null, run(3, 12, 3));
        assertThat(log().lastIndex()).isEqualTo(12);
        assertThat(log().entries(1, 12)).containsExactlyElementsOf(concat(run(1, 2, 1), run(3, 12, 3)));

        // replacing the whole log
        storage.persist(null, run(1, 1, 4));
        assertThat(log().lastIndex()).isEqualTo(1);
        assertThat(log().entries(1, 1)).containsExactly(entry(1, 4));
    }

    @Test
    void replacedSuffixStaysReplacedAfterRestart() throws Exception {
        storage.persist(null, run(1, 100, 1));
        storage.persist(null, run(51, 60, 2));
        restart();
        assertThat(log().lastIndex()).isEqualTo(60);
        assertThat(log().entries(1, 60)).containsExactlyElementsOf(concat(run(1, 50, 1), run(51, 60, 2)));
        storage.persist(null, run(61, 61, 2));
        assertThat(log().entries(59, 61)).containsExactlyElementsOf(run(59, 61, 2));
    }

    // ---- prefix truncation

    @Test
    void truncatesThePrefixAndRemembersItsLastTerm() {
        storage.persist(null, concat(run(1, 4, 1), run(5, 10, 2)));
        log().truncatePrefix(4);
        log().sync();
        assertThat(log().firstIndex()).isEqualTo(5);
        assertThat(log().lastIndex()).isEqualTo(10);
        assertThat(log().term(4)).isEqualTo(1);
        assertThat(log().term(5)).isEqualTo(2);
        assertThatThrownBy(() -> log().term(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().entry(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log().entries(4, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(log().entries(5, 10)).containsExactlyElementsOf(run(5, 10, 2));

        // below the start: nothing happens
        log().truncatePrefix(2);
        assertThat(log().firstIndex()).isEqualTo(5);
        // beyond the end: refused
        assertThatThrownBy(() -> log().truncatePrefix(11)).isInstanceOf(IllegalArgumentException.class);
        // appending before the start: refused
        assertThatThrownBy(() -> log().append(run(4, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        // appending at the start replaces everything
        storage.persist(null, run(5, 6, 3));
        assertThat(log().entries(5, 6)).containsExactlyElementsOf(run(5, 6, 3));
        assertThat(log().lastIndex()).isEqualTo(6);
    }

    @Test
    void truncatingTheWholeLogLeavesAnEmptyLogThatContinues() throws Exception {
        storage.persist(null, run(1, 10, 3));
        log().truncatePrefix(10);
        log().sync();
        assertThat(log().firstIndex()).isEqualTo(11);
        assertThat(log().lastIndex()).isEqualTo(10);
        assertThat(log().term(10)).isEqualTo(3);
        assertThat(log().entries(11, 10)).isEmpty();
        assertThatThrownBy(() -> log().append(run(11, 11, 2))).isInstanceOf(IllegalArgumentException.class);
        restart();
        assertThat(log().firstIndex()).isEqualTo(11);
        assertThat(log().lastIndex()).isEqualTo(10);
        assertThat(log().term(10)).isEqualTo(3);
        storage.persist(null, run(11, 12, 3));
        assertThat(log().entries(11, 12)).containsExactlyElementsOf(run(11, 12, 3));
    }

    @Test
    void truncatedPrefixSurvivesRestart() throws Exception {
        storage.persist(new HardState(2, "a", 8), concat(run(1, 4, 1), run(5, 10, 2)));
        log().truncatePrefix(6);
        log().sync();
        restart();
        assertThat(log().firstIndex()).isEqualTo(7);
        assertThat(log().lastIndex()).isEqualTo(10);
        assertThat(log().term(6)).isEqualTo(2);
        assertThat(log().entries(7, 10)).containsExactlyElementsOf(run(7, 10, 2));
        assertThat(storage.hardState().load()).isEqualTo(new HardState(2, "a", 8));
        assertThatThrownBy(() -> storage.recover())
                .isInstanceOf(StorageException.class).hasMessageContaining("snapshot");
    }

    @Test
    void resetToRestartsTheLogAfterASnapshot() throws Exception {
        storage.persist(null, run(1, 10, 1));
        // behind the end
        log().resetTo(5, 1);
        log().sync();
        assertThat(log().firstIndex()).isEqualTo(6);
        assertThat(log().lastIndex()).isEqualTo(5);
        assertThat(log().term(5)).isEqualTo(1);
        storage.persist(null, run(6, 7, 2));
        // beyond the end
        log().resetTo(100, 7);
        log().sync();
        assertThat(log().firstIndex()).isEqualTo(101);
        assertThat(log().lastIndex()).isEqualTo(100);
        assertThat(log().term(100)).isEqualTo(7);
        assertThatThrownBy(() -> log().append(run(101, 101, 6))).isInstanceOf(IllegalArgumentException.class);
        storage.persist(null, run(101, 103, 7));
        restart();
        assertThat(log().firstIndex()).isEqualTo(101);
        assertThat(log().lastIndex()).isEqualTo(103);
        assertThat(log().term(100)).isEqualTo(7);
        assertThat(log().entries(101, 103)).containsExactlyElementsOf(run(101, 103, 7));
        // behind the start
        log().resetTo(50, 5);
        log().sync();
        restart();
        assertThat(log().firstIndex()).isEqualTo(51);
        assertThat(log().lastIndex()).isEqualTo(50);
        storage.persist(null, run(51, 52, 5));
        assertThat(log().entries(51, 52)).containsExactlyElementsOf(run(51, 52, 5));
        assertThatThrownBy(() -> log().resetTo(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- snapshots

    private static io.raftx.raft.SnapshotMeta snapshotAt(long index, long term) {
        return new io.raftx.raft.SnapshotMeta(index, term, io.raftx.raft.Membership.ofVoters(List.of("a", "b", "c")));
    }

    @Test
    void aTakenSnapshotIsRecoveredWithTheLogAfterIt() throws Exception {
        storage.persist(new HardState(2, "a", 9), concat(run(1, 4, 1), run(5, 10, 2)));
        storage.snapshotTaken(snapshotAt(8, 2), 6); // entries 7 and 8 stay behind the snapshot
        assertThat(log().firstIndex()).isEqualTo(7);
        restart();
        assertThat(storage.snapshot()).isEqualTo(snapshotAt(8, 2));
        assertThat(log().firstIndex()).isEqualTo(7);
        RestoredState restored = storage.recover();
        assertThat(restored.snapshot()).isEqualTo(snapshotAt(8, 2));
        assertThat(restored.log()).containsExactlyElementsOf(run(9, 10, 2)); // the core's log starts after it
        assertThat(restored.appliedIndex()).isEqualTo(8);
        assertThat(restored.hardState()).isEqualTo(new HardState(2, "a", 9));
    }

    @Test
    void aSnapshotAtTheEndOfTheLogLeavesAnEmptySuffix() throws Exception {
        storage.persist(new HardState(1, "a", 5), run(1, 5, 1));
        storage.snapshotTaken(snapshotAt(5, 1), 5);
        restart();
        RestoredState restored = storage.recover();
        assertThat(restored.log()).isEmpty();
        assertThat(restored.appliedIndex()).isEqualTo(5);
        storage.persist(null, run(6, 6, 2));
        assertThat(storage.recover().log()).containsExactly(entry(6, 2));
    }

    @Test
    void anInstalledSnapshotReplacesTheLog() throws Exception {
        storage.persist(new HardState(3, "b", 4), run(1, 6, 1));
        storage.snapshotInstalled(snapshotAt(40, 3));
        storage.persist(new HardState(3, "b", 40), run(41, 42, 3));
        restart();
        RestoredState restored = storage.recover();
        assertThat(restored.snapshot()).isEqualTo(snapshotAt(40, 3));
        assertThat(restored.log()).containsExactlyElementsOf(run(41, 42, 3));
        assertThat(log().firstIndex()).isEqualTo(41);
        assertThat(log().term(40)).isEqualTo(3);
    }

    @Test
    void compactionMustStayWithinTheSnapshotAndTheLog() {
        storage.persist(null, run(1, 5, 1));
        assertThatThrownBy(() -> storage.snapshotTaken(snapshotAt(4, 1), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot's index 4");
        assertThat(storage.snapshot()).isNull();
        assertThat(log().firstIndex()).isEqualTo(1);
    }

    @Test
    void recoverRejectsASnapshotThatDisagreesWithTheLog() {
        storage.persist(null, run(1, 5, 1));
        storage.snapshotTaken(snapshotAt(3, 2), 0); // the log has term 1 at index 3
        assertThatThrownBy(() -> storage.recover())
                .isInstanceOf(StorageException.class).hasMessageContaining("3@2");
    }

    // ---- hard state

    @Test
    void hardStateRoundTrips() throws Exception {
        storage.hardState().save(new HardState(3, "node-b", 0));
        assertThat(storage.hardState().load()).isEqualTo(new HardState(3, "node-b", 0));
        storage.persist(new HardState(4, null, 0), List.of());
        assertThat(storage.hardState().load()).isEqualTo(new HardState(4, null, 0));
        restart();
        assertThat(storage.hardState().load()).isEqualTo(new HardState(4, null, 0));
        String unicode = "nœud-" + new String(new byte[]{(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
                StandardCharsets.UTF_8);
        storage.persist(new HardState(Long.MAX_VALUE / 3, unicode, 0), List.of());
        restart();
        assertThat(storage.hardState().load()).isEqualTo(new HardState(Long.MAX_VALUE / 3, unicode, 0));
    }

    @Test
    void persistStoresHardStateAndEntriesTogether() throws Exception {
        storage.persist(new HardState(1, "a", 0), run(1, 3, 1));
        storage.persist(new HardState(1, "a", 3), List.of());
        storage.persist(null, run(4, 5, 1));
        restart();
        RestoredState restored = storage.recover();
        assertThat(restored.hardState()).isEqualTo(new HardState(1, "a", 3));
        assertThat(restored.log()).containsExactlyElementsOf(run(1, 5, 1));
        assertThat(restored.appliedIndex()).isZero();
    }

    @Test
    void rejectedPersistStoresNothing() {
        storage.persist(new HardState(1, "a", 1), run(1, 3, 1));
        assertThatThrownBy(() -> storage.persist(new HardState(2, "b", 2), run(5, 6, 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.hardState().load()).isEqualTo(new HardState(1, "a", 1));
        assertThat(log().lastIndex()).isEqualTo(3);
    }

    @Test
    void recoverRejectsInconsistentState() {
        storage.persist(new HardState(1, "a", 5), run(1, 3, 1));
        assertThatThrownBy(() -> storage.recover())
                .isInstanceOf(StorageException.class).hasMessageContaining("commit");
    }

    // ---- randomized against a plain model

    @Test
    void randomOperationsMatchAModel() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Long> modelTerms = new ArrayList<>(); // term of index first + i
        long first = 1;
        long prevTerm = 0;
        long term = 1;
        HardState hs = HardState.EMPTY;
        for (int step = 0; step < 1500; step++) {
            long last = first + modelTerms.size() - 1;
            int op = rnd.nextInt(100);
            if (op < 60) {
                long start = rnd.nextInt(4) == 0 && !modelTerms.isEmpty()
                        ? first + rnd.nextInt(modelTerms.size()) : last + 1;
                if (rnd.nextInt(3) == 0) {
                    term++;
                }
                int n = 1 + rnd.nextInt(20);
                long t = Math.max(term, start - 1 >= first ? modelTerms.get((int) (start - 1 - first)) : prevTerm);
                term = t;
                List<Entry> batch = run(start, start + n - 1, t);
                if (rnd.nextBoolean()) {
                    hs = new HardState(t, rnd.nextBoolean() ? null : "n" + rnd.nextInt(5), 0);
                    storage.persist(hs, batch);
                } else {
                    log().append(batch);
                    if (rnd.nextBoolean()) {
                        log().sync();
                    }
                }
                while (modelTerms.size() > start - first) {
                    modelTerms.remove(modelTerms.size() - 1);
                }
                for (int i = 0; i < n; i++) {
                    modelTerms.add(t);
                }
            } else if (op < 70 && !modelTerms.isEmpty()) {
                long upTo = first + rnd.nextInt(modelTerms.size());
                log().truncatePrefix(upTo);
                prevTerm = modelTerms.get((int) (upTo - first));
                modelTerms.subList(0, (int) (upTo - first + 1)).clear();
                first = upTo + 1;
            } else if (op < 73) {
                long index = Math.max(0, last + rnd.nextInt(-50, 50));
                long t = index == 0 ? 0 : Math.max(term, 1);
                term = Math.max(term, t);
                log().resetTo(index, t);
                modelTerms.clear();
                first = index + 1;
                prevTerm = t;
            } else if (op < 78) {
                log().sync();
                restart();
            } else {
                log().sync();
            }
            // check
            last = first + modelTerms.size() - 1;
            assertThat(log().firstIndex()).as("first at step %d", step).isEqualTo(first);
            assertThat(log().lastIndex()).as("last at step %d", step).isEqualTo(last);
            assertThat(log().term(first - 1)).isEqualTo(prevTerm);
            assertThat(storage.hardState().load()).isEqualTo(hs);
            if (!modelTerms.isEmpty()) {
                long probe = first + rnd.nextInt(modelTerms.size());
                assertThat(log().entry(probe)).isEqualTo(entry(probe, modelTerms.get((int) (probe - first))));
                if (step % 50 == 0) {
                    List<Entry> all = log().entries(first, last);
                    for (int i = 0; i < all.size(); i++) {
                        assertThat(all.get(i)).isEqualTo(entry(first + i, modelTerms.get(i)));
                    }
                }
            }
        }
    }

    static List<Entry> concat(List<Entry> a, List<Entry> b) {
        List<Entry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
