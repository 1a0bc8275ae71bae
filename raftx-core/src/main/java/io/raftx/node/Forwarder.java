package io.raftx.node;

import io.raftx.transport.ForwardResult;
import io.raftx.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends requests to the leader when this node does not lead. Everything queued in one loop pass leaves in one batch
 * per leader ({@link #flush}); a request whose forward got no definite answer goes back to the node to be routed
 * again (same request id, so it is applied at most once) until its deadline. When the leader changes, requests
 * queued for or waiting on another node move to the new leader at once ({@link #leaderChanged}).
 */
final class Forwarder {

    private final Transport transport;
    /** Runs a task on the loop thread; throws {@link ShutdownException} once the node stopped. */
    private final Consumer<Runnable> toLoop;
    /** Loop thread: holds a request to be routed again on the next tick. */
    private final Consumer<Request> park;
    // Loop thread.
    private final Map<String, List<Request>> queues = new LinkedHashMap<>();
    /** Requests sent and not answered yet, with the node they were sent to. */
    private final Map<Request, String> inFlight = new IdentityHashMap<>();

    Forwarder(Transport transport, Consumer<Runnable> toLoop, Consumer<Request> park) {
        this.transport = transport;
        this.toLoop = toLoop;
        this.park = park;
    }

    /** Loop thread: queues {@code request} for {@code leader}. */
    void forward(Request request, String leader) {
        request.earlierAttemptMayApply = request.mayBeApplied;
        request.mayBeApplied |= !request.isRead();
        queues.computeIfAbsent(leader, l -> new ArrayList<>()).add(request);
    }

    /** Loop thread: sends each leader's queue as one batch, if anything is queued. */
    void flushIfQueued() {
        if (!queues.isEmpty()) {
            flush();
        }
    }

    private void flush() {
        for (Map.Entry<String, List<Request>> e : queues.entrySet()) {
            String leader = e.getKey();
            List<Request> batch = e.getValue();
            int[] attempts = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i);
                attempts[i] = ++r.forwardAttempt;
                inFlight.put(r, leader);
            }
            long deadline = batch.stream().mapToLong(r -> r.deadline).max().orElseThrow();
            long remaining = Math.max(1, deadline - System.nanoTime());
            transport.forwardBatch(leader, batch.stream().map(r -> r.command.encode()).toList(),
                            Duration.ofNanos(remaining))
                    .whenComplete((results, err) -> answered(batch, attempts, results));
        }
        queues.clear();
    }

    /** Requests queued in a pass that never ended (the loop failed): they never left this node. */
    void failQueued(String nodeId) {
        for (List<Request> queue : queues.values()) {
            for (Request r : queue) {
                r.mayBeApplied = r.earlierAttemptMayApply;
                r.fail(new ShutdownException("node " + nodeId + " stopped; not applied"), "node " + nodeId
                        + " stopped while retrying a request that an earlier attempt may have applied");
            }
        }
        queues.clear();
    }

    /**
     * Transport thread: success of any attempt is the outcome; everything else is judged on the loop, in one task
     * for the whole batch ({@code results} is null when the batch got no answer).
     */
    private void answered(List<Request> batch, int[] attempts, List<ForwardResult> results) {
        for (int i = 0; i < batch.size(); i++) {
            ForwardResult res = results != null ? results.get(i) : null;
            if (res != null && res.status() == ForwardResult.Status.APPLIED) {
                batch.get(i).future.complete(new Applied(res.index(), res.result()));
            }
        }
        try {
            toLoop.accept(() -> {
                for (int i = 0; i < batch.size(); i++) {
                    answeredOnLoop(batch.get(i), attempts[i], results != null ? results.get(i) : null);
                }
            });
        } catch (ShutdownException e) {
            for (Request r : batch) {
                r.future.completeExceptionally(new UnknownOutcomeException("node shut down while forwarding"));
            }
        }
    }

    private void answeredOnLoop(Request request, int attempt, ForwardResult res) {
        if (request.forwardAttempt != attempt) {
            return; // a later attempt (to a newer leader) answers for the request
        }
        inFlight.remove(request);
        if (request.future.isDone()) {
            return;
        }
        if (res != null && res.status() == ForwardResult.Status.NOT_APPLIED && !request.earlierAttemptMayApply) {
            request.future.completeExceptionally(new NotAppliedException(res.error()));
        } else {
            // Leader moved, crashed or timed out, or refused this attempt while an earlier one may still apply.
            park.accept(request);
        }
    }

    /**
     * Loop thread: {@code leader} leads now. Requests queued for another node, and requests sent to another node and
     * not answered yet, go back to {@code route} at once instead of waiting for an answer that may never come (a
     * crashed, paused or cut-off leader). The old attempt's answer is ignored from then on unless it is a success;
     * the resend carries the same request id, so the request is applied at most once. Membership changes, which
     * are not deduplicated, keep waiting for their answer.
     */
    void leaderChanged(String leader, Consumer<Request> route) {
        List<Request> moved = new ArrayList<>();
        Iterator<Map.Entry<String, List<Request>>> queued = queues.entrySet().iterator();
        while (queued.hasNext()) {
            Map.Entry<String, List<Request>> e = queued.next();
            if (!e.getKey().equals(leader)) {
                for (Request r : e.getValue()) {
                    r.mayBeApplied = r.earlierAttemptMayApply; // this attempt never left
                    moved.add(r);
                }
                queued.remove();
            }
        }
        Iterator<Map.Entry<Request, String>> sent = inFlight.entrySet().iterator();
        while (sent.hasNext()) {
            Map.Entry<Request, String> e = sent.next();
            Request r = e.getKey();
            if (r.future.isDone()) {
                sent.remove();
            } else if (!e.getValue().equals(leader) && r.deduplicated()) {
                r.forwardAttempt++; // the attempt in flight no longer speaks for the request
                sent.remove();
                moved.add(r);
            }
        }
        moved.forEach(route);
    }

    /**
     * The leader's side: a follower forwarded {@code bytes}; {@code route} takes the request to this node's log
     * (throwing {@link ShutdownException} when the node stops). The answer maps the outcome for the follower.
     */
    static CompletableFuture<ForwardResult> serve(String from, byte[] bytes, long deadline, Consumer<Request> route,
                                                  Supplier<NodeStatus> status) {
        Command command;
        try {
            command = Command.decode(bytes);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ForwardResult.failed(ForwardResult.Status.NOT_APPLIED, null,
                    "malformed forwarded command from " + from + ": " + e.getMessage()));
        }
        Request request = new Request(command, deadline, false);
        try {
            route.accept(request);
        } catch (ShutdownException e) {
            return CompletableFuture.completedFuture(ForwardResult.failed(ForwardResult.Status.SHUTDOWN, null,
                    e.getMessage()));
        }
        return request.future.handle((applied, err) -> applied != null
                ? ForwardResult.applied(applied.index(), applied.result())
                : Forwarding.toResult(err, status.get()));
    }
}
