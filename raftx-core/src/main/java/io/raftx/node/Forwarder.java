package io.raftx.node;

import io.raftx.transport.ForwardResult;
import io.raftx.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends requests to the leader when this node does not lead. Everything queued in one loop pass leaves in one batch
 * per leader ({@link #flush}); a request whose forward got no definite answer goes back to the node to be routed
 * again (same request id, so it is applied at most once) until its deadline.
 */
final class Forwarder {

    private final Transport transport;
    /** Hands a request back for another attempt; called on transport threads. */
    private final Consumer<Request> retry;
    // Loop thread.
    private final Map<String, List<Request>> queues = new LinkedHashMap<>();

    Forwarder(Transport transport, Consumer<Request> retry) {
        this.transport = transport;
        this.retry = retry;
    }

    /** Loop thread: queues {@code request} for {@code leader}. */
    void forward(Request request, String leader) {
        request.earlierAttemptMayApply = request.mayBeApplied;
        request.mayBeApplied |= !request.isRead();
        queues.computeIfAbsent(leader, l -> new ArrayList<>()).add(request);
    }

    boolean hasQueued() {
        return !queues.isEmpty();
    }

    /** Loop thread: sends each leader's queue as one batch. */
    void flush() {
        for (Map.Entry<String, List<Request>> e : queues.entrySet()) {
            List<Request> batch = e.getValue();
            long deadline = batch.stream().mapToLong(r -> r.deadline).max().orElseThrow();
            long remaining = Math.max(1, deadline - System.nanoTime());
            transport.forwardBatch(e.getKey(), batch.stream().map(r -> r.command.encode()).toList(),
                            Duration.ofNanos(remaining))
                    .whenComplete((results, err) -> {
                        for (int i = 0; i < batch.size(); i++) {
                            answered(batch.get(i), results != null ? results.get(i) : null);
                        }
                    });
        }
        queues.clear();
    }

    private void answered(Request request, ForwardResult res) {
        if (res != null && res.status() == ForwardResult.Status.APPLIED) {
            request.future.complete(new Applied(res.index(), res.result()));
        } else if (res != null && res.status() == ForwardResult.Status.NOT_APPLIED && !request.earlierAttemptMayApply) {
            request.future.completeExceptionally(new NotAppliedException(res.error()));
        } else {
            // Leader moved, crashed or timed out, or refused this attempt while an earlier one may still apply.
            retry.accept(request);
        }
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
