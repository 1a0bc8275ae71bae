package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A long committed tail (a restart, a follower far behind) reaches the state machine a chunk per Ready, in order. */
class ApplyInChunksTest {

    @Test
    void aRestartedNodeReappliesItsCommittedTailInChunksSizedLikeAnAppend() {
        long[] terms = new long[3000];
        java.util.Arrays.fill(terms, 1);
        RaftConfig config = RaftConfig.of("n1", List.of("n1", "n2", "n3"));
        Raft raft = new Raft(config, new RestoredState(new HardState(1, null, 3000), TestNetwork.entries(terms), 0),
                new SplittableRandom(1));

        List<Integer> chunks = new ArrayList<>();
        long expectedNext = 1;
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            for (Entry e : rd.committedEntries()) {
                assertThat(e.index()).isEqualTo(expectedNext++);
            }
            chunks.add(rd.committedEntries().size());
            raft.advance(rd);
        }

        assertThat(chunks).containsExactly(config.maxEntriesPerAppend(), config.maxEntriesPerAppend(),
                3000 - 2 * config.maxEntriesPerAppend());
        assertThat(raft.appliedIndex()).isEqualTo(3000);
    }

    @Test
    void largeEntriesAreChunkedByBytesButOneAlwaysGoes() {
        RaftConfig config = RaftConfig.of("n1", List.of("n1", "n2", "n3")).withReplication(256, 1024, 1000, 100_000);
        List<Entry> log = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            log.add(new Entry(1, i, EntryType.NORMAL, new byte[600]));
        }
        Raft raft = new Raft(config, new RestoredState(new HardState(1, null, 5), log, 0), new SplittableRandom(1));

        List<Integer> chunks = new ArrayList<>();
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            chunks.add(rd.committedEntries().size());
            raft.advance(rd);
        }

        assertThat(chunks).containsExactly(1, 1, 1, 1, 1);
    }
}
