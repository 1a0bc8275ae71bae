package io.raftx.volatilenode;

import io.raftx.kv.InvalidRequestException;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchHub;
import io.raftx.kv.watch.WatchListener;
import io.raftx.node.UnknownOutcomeException;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous client of a node's volatile keyspace: a memory-only replicated map with TTLs, sequenced by the Raft
 * leader (see {@link io.raftx.volatiles} for the protocol and its guarantees). Usable on any node and from any
 * thread; writes and strong reads on a follower are forwarded to the leader. Futures complete on a client executor,
 * never on the node's event loop.
 *
 * <p>Errors (all {@link io.raftx.node.RaftException}): {@link io.raftx.node.NoLeaderException} — no leader could
 * take the request before its deadline (election, recovery, no quorum), not applied;
 * {@link io.raftx.node.NotAppliedException} — refused (e.g. back-pressure), not applied;
 * {@link InvalidRequestException} — bad input, not applied; {@link UnknownOutcomeException} — the write reached a
 * leader but its fate is unknown (a later leader may still apply it). Volatile writes carry no request id, so a
 * retry after an unknown outcome may apply twice: use the conditional writes where that matters.
 *
 * <p>TTLs are wall-clock durations converted to the node's ticks ({@link TickDurations#ttlTicks}); the leader
 * decides expiry, never earlier than the TTL after it applied the write, and replicates it.
 */
public final class VolatileClient {

    private final VolatileExtension extension;
    private final Duration timeout;

    public VolatileClient(VolatileExtension extension) {
        this(extension, extension.settings().requestTimeout());
    }

    private VolatileClient(VolatileExtension extension, Duration timeout) {
        this.extension = Objects.requireNonNull(extension, "extension");
        this.timeout = timeout;
    }

    /** This client with another per-request deadline (including retries while a leader is elected). */
    public VolatileClient withTimeout(Duration requestTimeout) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        return new VolatileClient(extension, requestTimeout);
    }

    public Duration timeout() {
        return timeout;
    }

    /** This node's volatile keyspace at a glance (synced, leader, applied index, size, catch-up counters). */
    public VolatileStats stats() {
        return extension.stats();
    }

    /** The node-side runtime behind this client (stats, fault injection in tests). */
    public VolatileExtension extension() {
        return extension;
    }

    /** The node's tick: TTLs are counted in it, rounded up. */
    public Duration tick() {
        return extension.tick();
    }

    // ---- writes ----

    /** Sets {@code key} to {@code value}; {@code ttl} null or zero = no expiry. */
    public CompletableFuture<VolatileWriteResult> put(String key, byte[] value, Duration ttl) {
        return write(() -> VolatileOp.put(key, checkValue(value), ttlTicks(ttl)));
    }

    public CompletableFuture<VolatileWriteResult> put(String key, String value, Duration ttl) {
        return put(key, utf8(value), ttl);
    }

    /** Sets {@code key} only if it does not exist at the write's position; {@code applied} tells which happened. */
    public CompletableFuture<VolatileWriteResult> putIfAbsent(String key, byte[] value, Duration ttl) {
        return write(() -> VolatileOp.putIfAbsent(key, checkValue(value), ttlTicks(ttl)));
    }

    public CompletableFuture<VolatileWriteResult> putIfAbsent(String key, String value, Duration ttl) {
        return putIfAbsent(key, utf8(value), ttl);
    }

    /**
     * Sets {@code key} only if its version (the index of the write that last changed it) is still
     * {@code expectedVersion} — compare-and-set; it also restarts the TTL. {@code applied} tells which happened.
     */
    public CompletableFuture<VolatileWriteResult> putIfVersion(String key, byte[] value, Duration ttl,
                                                               long expectedVersion) {
        return write(() -> VolatileOp.put(key, checkValue(value), ttlTicks(ttl)).onlyIfVersion(positive(expectedVersion)));
    }

    public CompletableFuture<VolatileWriteResult> delete(String key) {
        return write(() -> VolatileOp.delete(key));
    }

    /** Deletes {@code key} only if its version is still {@code expectedVersion}. */
    public CompletableFuture<VolatileWriteResult> deleteIfVersion(String key, long expectedVersion) {
        return write(() -> VolatileOp.delete(key).onlyIfVersion(positive(expectedVersion)));
    }

    /** Adds {@code member} to the set at {@code key} (replacing a plain value); {@code ttl} applies to the member. */
    public CompletableFuture<VolatileWriteResult> addToSet(String key, String member, Duration ttl) {
        return write(() -> VolatileOp.addToSet(key, member, ttlTicks(ttl)));
    }

    /** Removes {@code member}; removing the last one removes the key. */
    public CompletableFuture<VolatileWriteResult> removeFromSet(String key, String member) {
        return write(() -> VolatileOp.removeFromSet(key, member));
    }

    // ---- reads ----

    /** The value of {@code key} (empty if absent); see {@link VolatileConsistency} for what each level promises. */
    public CompletableFuture<Optional<VolatileValue>> get(String key, VolatileConsistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        if (key == null || key.isEmpty() || key.length() > VolatileOp.MAX_NAME_LENGTH) {
            return CompletableFuture.failedFuture(new InvalidRequestException("key must have 1 to "
                    + VolatileOp.MAX_NAME_LENGTH + " characters"));
        }
        if (consistency == VolatileConsistency.LOCAL) {
            return extension.localGet(key).thenApply(Optional::ofNullable);
        }
        ClientRequest r = ClientRequest.strongRead(key, deadline(), extension.completions());
        extension.submit(r);
        return guard(r.readFuture(), r);
    }

    /** Strong read of {@code key}. */
    public CompletableFuture<Optional<VolatileValue>> get(String key) {
        return get(key, VolatileConsistency.STRONG);
    }

    /** This node's whole applied keyspace (a LOCAL read: possibly stale, empty until the node synced). */
    public CompletableFuture<SortedMap<String, VolatileValue>> localEntries() {
        return extension.localEntries();
    }

    /** The members of the set at {@code key} (empty if absent or a plain value). */
    public CompletableFuture<Set<String>> members(String key, VolatileConsistency consistency) {
        return get(key, consistency).thenApply(v -> v.map(VolatileValue::members).orElse(Set.of()));
    }

    public CompletableFuture<Set<String>> members(String key) {
        return members(key, VolatileConsistency.STRONG);
    }

    // ---- watches ----

    /**
     * Watches volatile keys matching {@code pattern} (exact, {@code *}, {@code **}) on this node from now on;
     * events have {@code volatileKey = true} and the volatile op index as revision.
     */
    public Watch watch(String pattern, WatchListener listener) {
        return extension.watches().watch(pattern, listener);
    }

    /** Watches from volatile op index {@code fromIndex} (inclusive), replaying what this node's hub retains. */
    public Watch watch(String pattern, long fromIndex, WatchListener listener) {
        return extension.watches().watch(pattern, fromIndex, listener);
    }

    public WatchHub watches() {
        return extension.watches();
    }

    // ---- helpers ----

    private interface OpBuilder {
        VolatileOp build();
    }

    private CompletableFuture<VolatileWriteResult> write(OpBuilder builder) {
        VolatileOp op;
        try {
            op = builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException("invalid volatile write: " + e.getMessage()));
        }
        ClientRequest r = ClientRequest.write(op, deadline(), extension.completions());
        extension.submit(r);
        return guard(r.writeFuture(), r);
    }

    /**
     * A safety net: if the node stops between accepting a request and running it on its loop, nothing would complete
     * the future; this fails it a little after its deadline instead. The timer is cancelled as soon as the request
     * completes normally.
     */
    private <T> CompletableFuture<T> guard(CompletableFuture<T> f, ClientRequest r) {
        return f.orTimeout(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof java.util.concurrent.TimeoutException
                    ? new UnknownOutcomeException(r.describe() + " got no answer from its node (stopped?) within "
                    + timeout) : cause);
        });
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private long ttlTicks(Duration ttl) {
        return TickDurations.ttlTicks(ttl, extension.tick());
    }

    private byte[] checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > extension.settings().maxValueBytes()) {
            throw new IllegalArgumentException("value of " + value.length + " bytes exceeds maxValueBytes "
                    + extension.settings().maxValueBytes());
        }
        return value;
    }

    private static long positive(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("expectedVersion must be >= 1 (a version is an op index), got " + version);
        }
        return version;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
