package io.raftx.spring.core;

import io.micrometer.observation.ObservationRegistry;
import io.raftx.kv.KvClient;
import io.raftx.node.ReadConsistency;
import io.raftx.volatilenode.VolatileClient;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The central class for strongly consistent data in a RaftX cluster, in the manner of Spring's {@code *Template}s:
 * blocking methods that translate every failure into a {@link RaftxException}, values converted by a pluggable
 * {@link RaftxValueSerializer}, and an {@link #async()} view returning futures. Thread-safe and immutable; derive a
 * template for another value type with {@link #withSerializer}.
 *
 * <pre>{@code
 * template.set("ai.model.threshold", "0.7");
 * Optional<String> v = template.get("ai.model.threshold", ReadConsistency.LEASE);
 * RaftxTemplate<Order> orders = template.withSerializer(new JsonRaftxValueSerializer<>(Order.class, jsonMapper));
 * }</pre>
 *
 * @param <V> the value type
 */
public class RaftxTemplate<V> implements RaftxOperations<V> {

    private final KeyValueCalls<V> calls;
    private final RaftxClusterOperations cluster;
    private final VolatileClient volatiles;
    private final RaftxRequestObserver observer;
    private final Executor asyncExecutor;
    private final ObservationRegistry observations;
    private final RaftxCallRunner runner;
    private final AsyncRaftxTemplate<V> async;
    private final RaftxCoordination coordination;

    /**
     * A template without the volatile keyspace, whose async futures complete on the common fork-join pool, reporting
     * to no observer.
     */
    public RaftxTemplate(KvClient kv, RaftxClusterOperations cluster, RaftxValueSerializer<V> serializer) {
        this(kv, cluster, null, serializer, RaftxRequestObserver.NONE, ForkJoinPool.commonPool());
    }

    /**
     * @param volatiles     the node's volatile keyspace, or null for a template without {@link #opsForVolatile()}
     * @param observer      told about every completed KV request (metrics)
     * @param asyncExecutor completes the futures of {@link #async()}, so no caller code runs on the event loop
     */
    public RaftxTemplate(KvClient kv, RaftxClusterOperations cluster, VolatileClient volatiles,
                         RaftxValueSerializer<V> serializer, RaftxRequestObserver observer, Executor asyncExecutor) {
        this(kv, cluster, volatiles, serializer, observer, asyncExecutor, null, ObservationRegistry.NOOP);
    }

    /**
     * @param coordination the locks and elections, or null for a template without them
     * @param observations observes every KV request as {@code raftx.request} (timers, tracing spans)
     */
    public RaftxTemplate(KvClient kv, RaftxClusterOperations cluster, VolatileClient volatiles,
                         RaftxValueSerializer<V> serializer, RaftxRequestObserver observer, Executor asyncExecutor,
                         RaftxCoordination coordination, ObservationRegistry observations) {
        this.coordination = coordination;
        this.calls = new KeyValueCalls<>(kv, serializer);
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.volatiles = volatiles;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
        this.observations = Objects.requireNonNull(observations, "observations");
        this.runner = new RaftxCallRunner(observer, new RaftxObservations(observations), asyncExecutor);
        this.async = new AsyncRaftxTemplate<>(calls, runner);
    }

    /** A template over the same node whose values are converted by {@code serializer}. */
    public <T> RaftxTemplate<T> withSerializer(RaftxValueSerializer<T> serializer) {
        return new RaftxTemplate<>(calls.kv(), cluster, volatiles, serializer, observer, asyncExecutor,
                coordination, observations);
    }

    public RaftxValueSerializer<V> getValueSerializer() {
        return calls.serializer();
    }

    @Override
    public Optional<V> get(String key) {
        return get(key, ReadConsistency.LINEARIZABLE);
    }

    @Override
    public Optional<V> get(String key, ReadConsistency consistency) {
        return runner.await(calls.get(key, consistency));
    }

    @Override
    public Optional<RaftxEntry<V>> getEntry(String key, ReadConsistency consistency) {
        return runner.await(calls.getEntry(key, consistency));
    }

    @Override
    public long set(String key, V value) {
        return runner.await(calls.set(key, value));
    }

    @Override
    public boolean delete(String key) {
        return runner.await(calls.delete(key));
    }

    @Override
    public boolean putIfAbsent(String key, V value) {
        return runner.await(calls.putIfAbsent(key, value));
    }

    @Override
    public boolean update(String key, V value) {
        return runner.await(calls.update(key, value));
    }

    @Override
    public boolean compareAndSet(String key, V expected, V newValue) {
        return runner.await(calls.compareAndSet(key, expected, newValue));
    }

    @Override
    public Map<String, V> scan(String prefix) {
        return scan(prefix, Integer.MAX_VALUE, ReadConsistency.LINEARIZABLE).asMap();
    }

    @Override
    public RaftxScan<V> scan(String prefix, int limit, ReadConsistency consistency) {
        return runner.await(calls.scan(prefix, limit, consistency));
    }

    @Override
    public RaftxTransaction<V> transaction() {
        return new RaftxTransaction<>(calls, runner);
    }

    @Override
    public RaftxClusterOperations opsForCluster() {
        return cluster;
    }

    /**
     * @throws IllegalStateException if this template was built without a volatile keyspace
     */
    @Override
    public RaftxVolatileOperations<V> opsForVolatile() {
        if (volatiles == null) {
            throw new IllegalStateException("this RaftxTemplate has no volatile keyspace; build it with a"
                    + " VolatileClient (the auto-configured template has one)");
        }
        return new DefaultRaftxVolatileOperations<>(volatiles, calls);
    }

    /** @throws IllegalStateException if this template was built without coordination (the auto-configured has it) */
    @Override
    public RaftxLockOperations opsForLocks() {
        return coordination().locks();
    }

    /** @throws IllegalStateException if this template was built without coordination (the auto-configured has it) */
    @Override
    public RaftxElectionOperations opsForElection() {
        return coordination().elections();
    }

    private RaftxCoordination coordination() {
        if (coordination == null) {
            throw new IllegalStateException("this RaftxTemplate has no locks or elections; build it with a"
                    + " RaftxCoordination (the auto-configured template has one)");
        }
        return coordination;
    }

    @Override
    public AsyncRaftxOperations<V> async() {
        return async;
    }
}
