package io.raftx.node;

import io.raftx.statemachine.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A test state machine whose state is the list of every command applied, in order: two replicas agree exactly when
 * they applied the same commands in the same order, and a duplicate or a gap is visible. Supports snapshots.
 */
class LogMachine implements StateMachine {

    final List<String> applied = Collections.synchronizedList(new ArrayList<>());
    volatile int restores;

    @Override
    public byte[] apply(long index, byte[] command) {
        applied.add(new String(command, StandardCharsets.UTF_8));
        return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        synchronized (applied) {
            data.writeInt(applied.size());
            for (String s : applied) {
                data.writeUTF(s);
            }
        }
        data.flush();
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int n = data.readInt();
        List<String> restored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            restored.add(data.readUTF());
        }
        synchronized (applied) {
            applied.clear();
            applied.addAll(restored);
        }
        restores++;
    }

    List<String> copy() {
        synchronized (applied) {
            return new ArrayList<>(applied);
        }
    }
}
