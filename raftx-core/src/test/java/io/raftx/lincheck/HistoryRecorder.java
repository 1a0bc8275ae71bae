package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Records what concurrent clients see, for {@link LinearizabilityChecker}. Thread-safe.
 *
 * <p>Usage, per client thread: {@code PendingOp op = recorder.invokePut(client, "k", "v");} <em>before</em>
 * sending the request, then exactly one of {@code op.ok()}, {@code op.fail()} or {@code op.unknown()} (or
 * {@code okRead} / {@code okCas}) <em>after</em> the answer or the timeout. Taking the times on that side of the
 * network is what makes the recorded interval contain the moment the cluster applied the operation.
 *
 * <p>Times come from one monotonic clock ({@link System#nanoTime()} by default) and are made strictly increasing
 * under the lock, so two events never tie and the order of the timestamps is the order the events were recorded.
 */
public final class HistoryRecorder {

    private final LongSupplier clock;
    private final List<PendingOp> invoked = new ArrayList<>();
    private final Set<Integer> busyClients = new HashSet<>();
    private long lastTime = Long.MIN_VALUE;

    public HistoryRecorder() {
        this(System::nanoTime);
    }

    /** @param clock a monotonic clock; a logical counter is fine for tests */
    public HistoryRecorder(LongSupplier clock) {
        this.clock = clock;
    }

    public PendingOp invokePut(int clientId, String key, String value) {
        return invoke(clientId, OpKind.PUT, key, null, value);
    }

    public PendingOp invokeGet(int clientId, String key) {
        return invoke(clientId, OpKind.GET, key, null, null);
    }

    /** @param expected the value the key must hold, {@code null} = the key must be absent */
    public PendingOp invokeCas(int clientId, String key, String expected, String newValue) {
        return invoke(clientId, OpKind.CAS, key, expected, newValue);
    }

    public PendingOp invokeDelete(int clientId, String key) {
        return invoke(clientId, OpKind.DELETE, key, null, null);
    }

    public PendingOp invokeAppend(int clientId, String key, String value) {
        return invoke(clientId, OpKind.APPEND, key, null, value);
    }

    /**
     * Everything recorded so far, in invocation order. Operations still pending are included with an unknown
     * outcome (they may yet take effect), failed ones are not (they never took effect).
     */
    public synchronized History history() {
        List<Operation> ops = new ArrayList<>(invoked.size());
        for (PendingOp op : invoked) {
            if (op.state != PendingOp.State.FAILED) {
                ops.add(op.toOperation());
            }
        }
        return new History(ops);
    }

    private synchronized PendingOp invoke(int clientId, OpKind kind, String key, String expected, String value) {
        // FORMAT.md: one clientId is one sequential client. A client may go on after an unknown outcome; the
        // checker keeps that operation concurrent with everything after its call, so no order is assumed.
        if (!busyClients.add(clientId)) {
            throw new IllegalStateException("client " + clientId + " already has an operation in flight");
        }
        PendingOp op = new PendingOp(clientId, kind, key, expected, value, tick());
        invoked.add(op);
        return op;
    }

    private long tick() {
        lastTime = Math.max(lastTime + 1, clock.getAsLong());
        return lastTime;
    }

    /** An invoked operation waiting for its outcome. Complete it exactly once. */
    public final class PendingOp {

        private enum State { PENDING, OK, FAILED, UNKNOWN }

        private final int clientId;
        private final OpKind kind;
        private final String key;
        private final String expected;
        private final String value;
        private final long call;
        private State state = State.PENDING;
        private long returnTime;
        private String readValue;
        private boolean casSucceeded;

        private PendingOp(int clientId, OpKind kind, String key, String expected, String value, long call) {
            this.clientId = clientId;
            this.kind = kind;
            this.key = key;
            this.expected = expected;
            this.value = value;
            this.call = call;
            toOperation(); // validates the arguments now rather than when the history is taken
        }

        /** The put, append or delete was applied. */
        public void ok() {
            if (kind == OpKind.GET || kind == OpKind.CAS) {
                throw new IllegalStateException("use okRead / okCas for " + kind.jsonName());
            }
            complete(State.OK, null, false);
        }

        /** The get answered; {@code valueOrNull == null} means the key was absent. */
        public void okRead(String valueOrNull) {
            requireKind(OpKind.GET);
            complete(State.OK, valueOrNull, false);
        }

        /** The cas answered: whether it swapped. A cas that did not swap is an answer, not a failure. */
        public void okCas(boolean succeeded) {
            requireKind(OpKind.CAS);
            complete(State.OK, null, succeeded);
        }

        /**
         * The operation definitely did not and never will take effect (e.g. rejected before it reached the log).
         * It is left out of the history. If in doubt, use {@link #unknown()}: a wrong "fail" can hide a bug.
         */
        public void fail() {
            complete(State.FAILED, null, false);
        }

        /** No answer (timeout, lost connection, leader change): it may take effect at any later time, or never. */
        public void unknown() {
            complete(State.UNKNOWN, null, false);
        }

        private void requireKind(OpKind wanted) {
            if (kind != wanted) {
                throw new IllegalStateException("this is a " + kind.jsonName() + ", not a " + wanted.jsonName());
            }
        }

        private void complete(State outcome, String read, boolean swapped) {
            synchronized (HistoryRecorder.this) {
                if (state != State.PENDING) {
                    throw new IllegalStateException("operation already completed as " + state);
                }
                returnTime = tick();
                readValue = read;
                casSucceeded = swapped;
                state = outcome;
                busyClients.remove(clientId);
            }
        }

        private Operation toOperation() {
            long ret = state == State.OK ? returnTime : Operation.UNKNOWN;
            return new Operation(clientId, kind, key, value, expected, readValue, casSucceeded, call, ret);
        }
    }
}
