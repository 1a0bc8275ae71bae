package io.raftx.node;

import io.raftx.raft.ReadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Linearizable reads on the loop thread: ReadIndex requests waiting for the leader's heartbeat round to confirm
 * their read index, and queries waiting until this node has applied up to the index they must see.
 */
final class ReadWaiters {

    private final Map<Long, Request> awaitingConfirmation = new HashMap<>();
    private final TreeMap<Long, List<Runnable>> awaitingApply = new TreeMap<>();

    /** The core was asked for read index {@code readId} on behalf of {@code request}. */
    void awaitConfirmation(long readId, Request request) {
        awaitingConfirmation.put(readId, request);
    }

    /** Completes confirmed reads with their index; hands the others (leadership changed) to {@code retry}. */
    void confirmed(List<ReadState> readStates, Consumer<Request> retry) {
        for (ReadState rs : readStates) {
            Request request = awaitingConfirmation.remove(rs.requestId());
            if (request == null) {
                continue;
            }
            if (rs.ok()) {
                request.future.complete(new Applied(rs.index(), new byte[0]));
            } else {
                retry.accept(request); // leadership changed before confirming: retry via the new leader
            }
        }
    }

    /** This node stopped leading: its unconfirmed reads ask the new leader (a read is always safe to ask again). */
    void handOver(Consumer<Request> route) {
        List<Request> moved = new ArrayList<>(awaitingConfirmation.values());
        awaitingConfirmation.clear();
        moved.forEach(route);
    }

    /** Runs {@code action} once {@code index} is applied ({@code appliedIndex} is what is applied now). */
    void whenApplied(long index, long appliedIndex, Runnable action) {
        if (appliedIndex >= index) {
            action.run();
        } else {
            awaitingApply.computeIfAbsent(index, i -> new ArrayList<>()).add(action);
        }
    }

    /** Runs the actions waiting for an index up to {@code appliedIndex}. */
    void applied(long appliedIndex) {
        while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= appliedIndex) {
            awaitingApply.pollFirstEntry().getValue().forEach(Runnable::run);
        }
    }

    /** Unconfirmed reads fail; the actions waiting for apply belong to futures that fail with the node. */
    void failAll(String nodeId) {
        for (Request r : awaitingConfirmation.values()) {
            r.future.completeExceptionally(new ShutdownException("node " + nodeId
                    + " stopped before the read was confirmed"));
        }
        awaitingConfirmation.clear();
    }

    /** Completes {@code f} with the query's answer, or with what it threw. */
    static <T> void answer(CompletableFuture<T> f, Supplier<T> query) {
        try {
            f.complete(query.get());
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }
}
