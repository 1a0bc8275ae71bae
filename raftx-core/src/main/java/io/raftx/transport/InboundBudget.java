package io.raftx.transport;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of inbound peer messages the node's loop has not processed yet, against
 * {@link TransportConfig#maxInboundBytes()} (see {@link InboundBackpressure}). A replication stream reads its next
 * batch only while the total is within the bound, so the total exceeds it by at most one batch per stream; a stream
 * that finds it over parks until the loop brings it back within.
 */
final class InboundBudget {

    private final String nodeId;
    private final long limit;
    private final List<Runnable> parked = new ArrayList<>();
    final LongAdder pauses = new LongAdder();
    final LongAdder refusals = new LongAdder();
    private volatile Executor loop;
    private long bytes;

    InboundBudget(String nodeId, long limit) {
        this.nodeId = nodeId;
        this.limit = limit;
    }

    void processOn(Executor loop) {
        this.loop = loop;
    }

    synchronized long bytes() {
        return bytes;
    }

    /**
     * Counts {@code size} bytes just handed to the handlers until the loop has run the work they queued for them
     * (a task queued behind that work gives them back).
     */
    void handedOver(long size) {
        synchronized (this) {
            bytes += size;
        }
        Executor l = loop;
        if (l == null) {
            release(size);
            return;
        }
        try {
            l.execute(() -> release(size));
        } catch (RuntimeException stopped) {
            release(size); // the node stopped: its queued work is gone with it
        }
    }

    /**
     * Whether a stream may read its next batch now; if not, {@code resume} runs (once, on the loop's thread) when the
     * backlog is back within the bound.
     */
    boolean readOrPark(Runnable resume) {
        synchronized (this) {
            if (bytes <= limit) {
                return true;
            }
            parked.add(resume);
        }
        pauses.increment();
        return false;
    }

    /** A parked stream ended: nothing to resume. */
    synchronized void forget(Runnable resume) {
        parked.remove(resume);
    }

    /** Null if a unary call may be handed over now, else the status to refuse it with. */
    Status refusal(String what) {
        long held = bytes();
        if (held <= limit) {
            return null;
        }
        refusals.increment();
        return Status.RESOURCE_EXHAUSTED.withDescription("node '" + nodeId + "' refused a " + what + ": it holds "
                + held + " bytes of peer messages its event loop has not processed yet, over maxInboundBytes ("
                + limit + "); retry later, or raise raftx.transport.max-inbound-size (standalone server:"
                + " --max-inbound-bytes) if the loop is not the bottleneck");
    }

    private void release(long size) {
        List<Runnable> resume;
        synchronized (this) {
            bytes -= size;
            if (bytes > limit || parked.isEmpty()) {
                return;
            }
            resume = new ArrayList<>(parked);
            parked.clear();
        }
        resume.forEach(Runnable::run);
    }
}
