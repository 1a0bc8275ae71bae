package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ready#mustSync()}: entries, a new term and a new vote must be fsynced before anything leaves; a Ready that
 * only moves the commit index need not be — unless the commit index newly covers a configuration entry.
 */
class ReadySyncTest {

    private final Raft raft = new Raft(RaftConfig.of("n1", List.of("n1")), RestoredState.EMPTY, new Random(1));
    private final List<Ready> seen = new ArrayList<>();

    @Test
    void onlyACommitIndexChangeNeedsNoSync() {
        electSelf();
        assertThat(seen.get(0).mustSync()).as("new term and vote").isTrue();
        seen.clear();
        raft.propose(1, new byte[] {1});
        drain();
        Ready append = seen.get(0);
        assertThat(append.entries()).hasSize(1);
        assertThat(append.mustSync()).isTrue();
        Ready commitOnly = seen.get(1);
        assertThat(commitOnly.entries()).isEmpty();
        assertThat(commitOnly.hardState().commit()).isEqualTo(append.entries().get(0).index());
        assertThat(commitOnly.mustSync()).as("commit index only").isFalse();
    }

    @Test
    void committingAConfigurationEntryIsSynced() {
        electSelf();
        seen.clear();
        raft.proposeConfigChange(1, ConfigChange.addLearner("n2", "127.0.0.1:1"));
        drain();
        Ready commit = seen.stream().filter(r -> r.entries().isEmpty() && r.hardState() != null).findFirst().orElseThrow();
        assertThat(raft.membership().learners()).contains("n2");
        assertThat(commit.mustSync()).as("commit index crosses a configuration entry").isTrue();
    }

    private void electSelf() {
        for (int i = 0; i < 100 && raft.role() != Role.LEADER; i++) {
            raft.tick();
            drain();
        }
        assertThat(raft.role()).isEqualTo(Role.LEADER);
        drain();
    }

    private void drain() {
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            seen.add(rd);
            raft.advance(rd);
        }
    }
}
