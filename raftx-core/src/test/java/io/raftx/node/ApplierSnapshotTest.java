package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplierSnapshotTest {

    private static Entry entry(long index, long client, long seq, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        byte[] command = new Command(Command.Kind.APPLY, client, seq, bytes).encode();
        return new Entry(1, index, EntryType.NORMAL, command);
    }

    /** The request-id table is replicated state: a node restored from a snapshot still applies a retry only once. */
    @Test
    void aRetryAppliedBeforeTheSnapshotIsRecognisedAfterRestoringIt() throws Exception {
        LogMachine original = new LogMachine();
        Applier before = new Applier(original, 100);
        before.apply(List.of(entry(1, 7, 1, "a"), entry(2, 7, 2, "b")));
        Applier.TableSnapshot captured = before.captureSnapshot();
        before.apply(List.of(entry(3, 7, 3, "not in the capture")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        captured.writeTo(new DataOutputStream(bytes)); // written after a later apply: holds the table as captured

        LogMachine restoredMachine = new LogMachine();
        Applier after = new Applier(restoredMachine, 100);
        after.restoreSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 2);
        assertThat(after.appliedIndex()).isEqualTo(2);

        // The client retries request (7, 2), which lands in the log again at index 3.
        Applied retry = after.apply(List.of(entry(3, 7, 2, "b"))).get(3L);
        assertThat(restoredMachine.applied).isEmpty();
        assertThat(retry.index()).isEqualTo(2); // the first application's result
        assertThat(new String(retry.result(), StandardCharsets.UTF_8)).isEqualTo("2");

        after.apply(List.of(entry(4, 7, 3, "c")));
        assertThat(restoredMachine.applied).as("(7, 3) came after the capture: new to the restored table")
                .containsExactly("c");
    }
}
