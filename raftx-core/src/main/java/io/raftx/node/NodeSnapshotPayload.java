package io.raftx.node;

import io.raftx.snapshot.SnapshotContent;
import io.raftx.snapshot.SnapshotPayload;
import io.raftx.statemachine.SnapshotCapture;
import io.raftx.statemachine.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A node's state inside its snapshots. Layout: version:i32 = 1 | request-id table ({@link Applier}) | the state
 * machine's own bytes.
 */
final class NodeSnapshotPayload implements SnapshotPayload {

    private static final int VERSION = 1;

    private final Applier applier;
    private final StateMachine stateMachine;

    NodeSnapshotPayload(Applier applier, StateMachine stateMachine) {
        this.applier = applier;
        this.stateMachine = stateMachine;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        writeHead(out, applier.captureSnapshot());
        stateMachine.snapshot(out);
    }

    /** With a {@link SnapshotCapture} state machine: both parts are captured here and written by the caller later. */
    @Override
    public Optional<SnapshotContent> capture() {
        if (!(stateMachine instanceof SnapshotCapture capturing)) {
            return Optional.empty();
        }
        Applier.TableSnapshot table = applier.captureSnapshot();
        SnapshotCapture.CapturedState state = capturing.captureSnapshot();
        return Optional.of(out -> {
            writeHead(out, table);
            state.writeTo(out);
        });
    }

    private static void writeHead(OutputStream out, Applier.TableSnapshot table) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(VERSION);
        table.writeTo(data);
        data.flush();
    }

    @Override
    public void restore(InputStream in, long index) throws IOException {
        DataInputStream data = new DataInputStream(in); // unbuffered: the state machine continues at its end
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("snapshot payload version " + version + ", this build reads " + VERSION);
        }
        applier.restoreSnapshot(data, index);
        stateMachine.restore(in);
    }
}
