package io.raftx.node;

import io.raftx.statemachine.SnapshotCapture;
import java.io.DataOutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogMachine} that captures its list for snapshots written off the loop. A test may {@link #hold} the
 * writing of captured snapshots to see what the node does meanwhile.
 */
final class CapturingLogMachine extends LogMachine implements SnapshotCapture {

    private volatile CountDownLatch hold = new CountDownLatch(0);
    volatile int captures;

    /** Captured snapshots wait before writing until {@link #release}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** Lets the held write go on and holds the next capture's (armed first, so that none slips through). */
    void releaseOnlyThis() {
        CountDownLatch current = hold;
        hold = new CountDownLatch(1);
        current.countDown();
    }

    @Override
    public CapturedState captureSnapshot() {
        List<String> state = copy();
        CountDownLatch gate = hold;
        captures++;
        return out -> {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the snapshot write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while held");
            }
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(state.size());
            for (String s : state) {
                data.writeUTF(s);
            }
            data.flush();
        };
    }
}
