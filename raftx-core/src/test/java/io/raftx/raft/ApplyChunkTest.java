package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Committed entries reach the runtime in chunks of at most {@link Ready#MAX_COMMITTED_ENTRIES}, in order and each
 * once, so that a node with a long log to apply (restarted from a snapshot) can take its inputs between chunks.
 */
class ApplyChunkTest {

    @Test
    void aLongRunOfCommittedEntriesIsAppliedInChunksInOrder() {
        TestNetwork net = TestNetwork.of("n1");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        net.settle();
        Raft leader = net.node("n1");
        long first = leader.lastIndex() + 1;
        int proposals = 2 * Ready.MAX_COMMITTED_ENTRIES + 100;
        for (int i = 0; i < proposals; i++) {
            assertThat(leader.propose(i + 1, new byte[] {(byte) i}).accepted()).isTrue();
        }

        List<Integer> chunkSizes = new ArrayList<>();
        List<Long> appliedIndexes = new ArrayList<>();
        while (leader.hasReady()) {
            Ready rd = leader.ready();
            if (!rd.committedEntries().isEmpty()) {
                chunkSizes.add(rd.committedEntries().size());
                rd.committedEntries().forEach(e -> appliedIndexes.add(e.index()));
                assertThat(rd.appliesFullChunk())
                        .isEqualTo(rd.committedEntries().size() == Ready.MAX_COMMITTED_ENTRIES);
            }
            leader.advance(rd);
        }

        assertThat(chunkSizes).containsExactly(Ready.MAX_COMMITTED_ENTRIES, Ready.MAX_COMMITTED_ENTRIES, 100);
        assertThat(appliedIndexes).hasSize(proposals);
        for (int i = 0; i < proposals; i++) {
            assertThat(appliedIndexes.get(i)).isEqualTo(first + i);
        }
        assertThat(leader.appliedIndex()).isEqualTo(first + proposals - 1);
    }
}
