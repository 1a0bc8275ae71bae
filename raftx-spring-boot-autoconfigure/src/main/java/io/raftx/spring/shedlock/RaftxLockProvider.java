package io.raftx.spring.shedlock;

import io.raftx.spring.core.LockNames;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileWriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ShedLock's {@link LockProvider} on the volatile keyspace: a lock is a key written if absent with a TTL of
 * {@code lockAtMostFor}, so it frees itself if the holder dies or hangs; unlocking deletes it, or shortens its TTL to
 * what is left of {@code lockAtLeastFor}. ShedLock's locks are not renewed: a task that runs longer than
 * {@code lockAtMostFor} may overlap with the next run elsewhere, as with every ShedLock provider.
 *
 * <p>A write whose outcome is unknown (leader failover) counts as not acquired: the task is skipped this time and the
 * key, if it was written, expires after {@code lockAtMostFor}.
 */
public class RaftxLockProvider implements LockProvider {

    private static final Logger log = LoggerFactory.getLogger(RaftxLockProvider.class);

    private final VolatileClient client;
    private final byte[] owner;

    /** @param owner who holds the locks, as other instances see it (the node id) */
    public RaftxLockProvider(VolatileClient client, String owner) {
        this.client = client;
        this.owner = owner.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration config) {
        String key = LockNames.key("shedlock", LockNames.requireName("ShedLock lock", config.getName()));
        return write(client.putIfAbsent(key, owner, positive(config.getLockAtMostFor())), "lock " + key)
                .map(index -> new RaftxSimpleLock(key, index, config));
    }

    /** The write's index if it applied; empty if not or if its outcome was not learned. */
    private Optional<Long> write(CompletableFuture<VolatileWriteResult> pending, String what) {
        try {
            VolatileWriteResult r = pending.get(client.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            return r.applied() ? Optional.of(r.index()) : Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            log.info("ShedLock {} not taken: {}", what, e instanceof ExecutionException ? e.getCause() : "timed out");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }

    private final class RaftxSimpleLock implements SimpleLock {
        private final String key;
        private final long version;
        private final LockConfiguration config;
        private boolean ended;

        RaftxSimpleLock(String key, long version, LockConfiguration config) {
            this.key = key;
            this.version = version;
            this.config = config;
        }

        @Override
        public synchronized void unlock() {
            end();
            Duration atLeast = Duration.between(Instant.now(), config.getLockAtLeastUntil());
            CompletableFuture<VolatileWriteResult> pending = atLeast.isNegative() || atLeast.isZero()
                    ? client.deleteIfVersion(key, version)
                    : client.putIfVersion(key, owner, atLeast, version);
            write(pending, "unlock " + key); // if it fails the key expires after lockAtMostFor
        }

        @Override
        public synchronized Optional<SimpleLock> extend(Duration lockAtMostFor, Duration lockAtLeastFor) {
            end();
            LockConfiguration extended = new LockConfiguration(Instant.now(), config.getName(), lockAtMostFor,
                    lockAtLeastFor);
            return write(client.putIfVersion(key, owner, positive(lockAtMostFor), version), "extend " + key)
                    .map(index -> new RaftxSimpleLock(key, index, extended));
        }

        private void end() {
            if (ended) {
                throw new IllegalStateException("ShedLock lock " + config.getName() + " was already unlocked or"
                        + " extended; use the lock extend() returned");
            }
            ended = true;
        }
    }
}
