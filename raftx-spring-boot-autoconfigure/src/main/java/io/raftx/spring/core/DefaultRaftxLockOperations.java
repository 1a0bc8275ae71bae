package io.raftx.spring.core;

import io.raftx.coordination.DistributedLock;
import io.raftx.coordination.LockHolder;
import io.raftx.coordination.LockLease;
import io.raftx.coordination.LockOptions;
import io.raftx.spring.event.RaftxEvent;
import io.raftx.spring.event.RaftxLockLostEvent;
import io.raftx.volatilenode.VolatileClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.dao.DataAccessException;

/**
 * {@link RaftxLockOperations} over {@link DistributedLock}s of the volatile keyspace. Keeps the locks it granted,
 * so that {@link #releaseAll()} can give them up when the application stops, and reports lost ones as
 * {@link RaftxLockLostEvent}s.
 */
public class DefaultRaftxLockOperations implements RaftxLockOperations {

    private final VolatileClient client;
    private final String owner;
    private final Consumer<RaftxEvent> events;
    private final Set<RaftxLock> held = ConcurrentHashMap.newKeySet();

    /**
     * @param owner  who holds the locks, as other instances see it (the node id)
     * @param events receives a {@link RaftxLockLostEvent} for every lock lost
     */
    public DefaultRaftxLockOperations(VolatileClient client, String owner, Consumer<RaftxEvent> events) {
        this.client = client;
        this.owner = owner;
        this.events = events;
    }

    @Override
    public Optional<RaftxLock> tryAcquire(String name, Duration lease) {
        DistributedLock lock = lock(name, lease);
        return CoordinationCalls.await("tryAcquire lock '" + name + "'", lock.tryAcquire(), client.timeout())
                .map(l -> granted(name, l));
    }

    @Override
    public Optional<RaftxLock> tryAcquire(String name, Duration lease, Duration wait) {
        LockNames.requireWait(wait);
        if (wait.isZero()) {
            return tryAcquire(name, lease); // a waiting attempt with no time left would not even try
        }
        DistributedLock lock = lock(name, lease);
        // The last attempt may start just before the wait ends and take up to a request timeout.
        return CoordinationCalls.await("acquire lock '" + name + "'", lock.tryAcquire(wait),
                wait.plus(client.timeout()))
                .map(l -> granted(name, l));
    }

    @Override
    public RaftxLock acquire(String name, Duration lease, Duration wait) {
        return tryAcquire(name, lease, wait).orElseThrow(() -> new RaftxLockNotAcquiredException("lock '" + name
                + "' is held by " + holderForMessage(name) + "; not acquired within " + wait));
    }

    /** Best effort: the failure to report is that the lock was not acquired, not that this read failed. */
    private String holderForMessage(String name) {
        try {
            return holder(name).orElse("nobody any more");
        } catch (DataAccessException e) {
            return "another instance";
        }
    }

    @Override
    public <T, E extends Throwable> T executeLocked(String name, Duration lease, RaftxLockedCallable<T, E> task)
            throws E {
        return executeLocked(name, lease, lease, task);
    }

    @Override
    public <T, E extends Throwable> T executeLocked(String name, Duration lease, Duration wait,
                                                    RaftxLockedCallable<T, E> task) throws E {
        T result;
        try (RaftxLock lock = acquire(name, lease, wait)) {
            result = task.call(lock);
            if (!lock.isValid()) {
                throw new RaftxLockLostException("lock '" + name + "' (token " + lock.fencingToken() + ") was lost"
                        + " while the task ran: " + lock.lost().getNow("its lease ran out"));
            }
        }
        return result;
    }

    @Override
    public Optional<String> holder(String name) {
        CompletableFuture<Optional<LockHolder>> read = new DistributedLock(client,
                LockNames.key("locks", LockNames.requireName("lock", name)), owner, LockOptions.defaults()).holder();
        return CoordinationCalls.await("read holder of lock '" + name + "'", read, client.timeout())
                .map(LockHolder::owner);
    }

    @Override
    public List<RaftxLock> held() {
        return held.stream().filter(RaftxLock::isValid).toList();
    }

    /** Releases every lock still held; called when the application stops, before the node does. */
    public void releaseAll() {
        held.forEach(RaftxLock::close);
    }

    private DistributedLock lock(String name, Duration lease) {
        LockNames.requireName("lock", name);
        LockNames.requireLease(lease, client);
        for (RaftxLock l : held) {
            if (l.name().equals(name) && l.isValid()) {
                throw new IllegalStateException("lock '" + name + "' is already held by this instance (token "
                        + l.fencingToken() + "); locks are not reentrant: release it first");
            }
        }
        return new DistributedLock(client, LockNames.key("locks", name), owner, LockOptions.ofLease(lease));
    }

    private RaftxLock granted(String name, LockLease lease) {
        RaftxLock lock = new RaftxLock(name, lease, client.timeout(), held::remove);
        held.add(lock);
        lease.lost().thenAccept(reason -> {
            held.remove(lock);
            events.accept(new RaftxLockLostEvent(this, owner, name, lease.fencingToken(), reason));
        });
        return lock;
    }
}
