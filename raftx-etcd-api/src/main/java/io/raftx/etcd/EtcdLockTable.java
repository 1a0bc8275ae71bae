package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.raftx.coordination.CoordinationKeys;
import io.raftx.coordination.DistributedLock;
import io.raftx.coordination.LockLease;
import io.raftx.coordination.LockOptions;
import io.raftx.kv.Compare;
import io.raftx.kv.KeyValue;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.kv.Op;
import io.raftx.kv.OpResult;
import io.raftx.kv.Txn;
import io.raftx.kv.watch.CompactedException;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchListener;
import io.raftx.kv.watch.WatchOverflow;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.volatilenode.VolatileClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The locks and elections that the etcd Lock and Election services granted through this node. Each grant is two
 * things:
 * <ul>
 *   <li>a {@link DistributedLock} on the same volatile key the template uses for that name
 *       ({@link CoordinationKeys}): this is what excludes every other holder, whether it came through etcd or
 *       through {@code opsForLocks()} / {@code opsForElection()};</li>
 *   <li>etcd's ownership key {@code name/<lease id in hex>} in the KV, attached to the client's lease: what etcd
 *       clients get back, compare on in transactions, and delete to unlock.</li>
 * </ul>
 * The ownership key drives the volatile lock: when it is deleted on any node (Unlock, Resign, the lease revoked or
 * expired), this node sees the delete and releases the lock. The other way round, if the volatile lock is lost (its
 * renewals failed for a whole lease), the ownership key is deleted, so transactions that compare on it fail.
 */
final class EtcdLockTable implements AutoCloseable {

    /** One grant: etcd's ownership key, its create revision (the election's {@code rev}) and the lease. */
    record Grant(byte[] key, long createRevision, long lease) {
    }

    /** A grant held by this node: the volatile lock behind it, and the revision that created its ownership key. */
    private record Held(LockLease lock, long createRevision) {
    }

    /** How long one wait for a busy lock lasts before the caller's lease and cancellation are checked again. */
    private static final Duration ATTEMPT = Duration.ofSeconds(1);
    /** The shortest volatile lease: renewals every third of it must stay well above the node's tick. */
    private static final int MIN_LEASE_TICKS = 10;
    private static final String OWNER_PREFIX = "etcd lease ";

    private final RaftNode node;
    private final KvClient kv;
    private final KvStateMachine stateMachine;
    private final VolatileClient volatiles;
    private final Map<ByteString, Held> held = new ConcurrentHashMap<>();
    private volatile Watch deletes;

    EtcdLockTable(RaftNode node, KvClient kv, KvStateMachine stateMachine, VolatileClient volatiles) {
        this.node = node;
        this.kv = kv;
        this.stateMachine = stateMachine;
        this.volatiles = volatiles;
        this.deletes = stateMachine.watches().watch("**", new DeleteListener());
    }

    /**
     * Waits until {@code volatileKey} is free, takes it for as long as {@code lease} lives, and writes the ownership
     * key {@code name/<lease hex>} with {@code value}. Fails with etcd's "requested lease not found" if the lease
     * does not exist or ends while waiting, with CANCELLED once {@code cancelled} says the client gave up.
     */
    CompletableFuture<Grant> acquire(String volatileKey, byte[] name, long lease, byte[] value,
                                     BooleanSupplier cancelled) {
        String owner = owner(lease);
        byte[] key = ownershipKey(name, lease);
        return leaseTtl(lease, ReadConsistency.LINEARIZABLE).thenCompose(ttl -> {
            DistributedLock lock = new DistributedLock(volatiles, volatileKey, owner,
                    LockOptions.ofLease(volatileLease(ttl)));
            CompletableFuture<LockLease> granted = new CompletableFuture<>();
            attempt(lock, lease, cancelled, granted);
            return granted;
        }).thenCompose(lock -> writeOwnershipKey(lock, key, value, lease, cancelled));
    }

    /** Deletes the ownership key if it is still the one created at {@code createRevision}; the current revision. */
    CompletableFuture<Long> end(byte[] key, long createRevision) {
        Txn txn = Txn.builder().when(Compare.createRevision(key, Compare.Operator.EQUAL, createRevision))
                .then(new Op.Delete(key, false)).build();
        return kv.txn(txn).thenApply(r -> r.revision());
    }

    /** How a grant made through etcd shows as the lock's holder to the template ({@code holder(name)}). */
    static String owner(long lease) {
        return OWNER_PREFIX + Long.toHexString(lease);
    }

    /** The lease of a holder named by {@link #owner(long)}; empty for a holder that came through the template. */
    static OptionalLong leaseOf(String owner) {
        if (!owner.startsWith(OWNER_PREFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(owner.substring(OWNER_PREFIX.length()), 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** etcd's ownership key of a lock or an election: the name, a slash, the lease id in lowercase hex. */
    static byte[] ownershipKey(byte[] name, long lease) {
        byte[] suffix = ("/" + Long.toHexString(lease)).getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[name.length + suffix.length];
        System.arraycopy(name, 0, key, 0, name.length);
        System.arraycopy(suffix, 0, key, name.length, suffix.length);
        return key;
    }

    /**
     * The name of an etcd lock or election as a template name: UTF-8, dot-separated non-empty segments, no '*'
     * (etcd-style names such as {@code jobs/export} are one segment and qualify).
     */
    static String templateName(String what, ByteString name) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw EtcdErrors.invalid(what + " name must be UTF-8 text: RaftX shares it with the template's "
                    + what + "s, which are named by strings");
        }
        if (text.isEmpty() || text.contains("*") || text.startsWith(".") || text.endsWith(".")
                || text.contains("..")) {
            throw EtcdErrors.invalid(what + " name '" + text + "' is not usable: RaftX shares it with the template's "
                    + what + "s, so it must be non-empty, contain no '*', and not start or end with '.' or contain"
                    + " '..'");
        }
        return text;
    }

    private void attempt(DistributedLock lock, long lease, BooleanSupplier cancelled,
                         CompletableFuture<LockLease> granted) {
        if (cancelled.getAsBoolean()) {
            granted.completeExceptionally(Status.CANCELLED.withDescription("the client cancelled the request")
                    .asRuntimeException());
            return;
        }
        lock.tryAcquire(ATTEMPT).whenComplete((acquired, e) -> {
            if (e == null && acquired.isPresent()) {
                granted.complete(acquired.get());
                return;
            }
            // Held by someone else (or no volatile leader right now): wait on, as long as the lease lives.
            leaseTtl(lease, ReadConsistency.LOCAL).whenComplete((ttl, gone) -> {
                if (gone != null) {
                    granted.completeExceptionally(gone);
                } else {
                    attempt(lock, lease, cancelled, granted);
                }
            });
        });
    }

    private CompletableFuture<Grant> writeOwnershipKey(LockLease lock, byte[] key, byte[] value, long lease,
                                                       BooleanSupplier cancelled) {
        Txn put = Txn.builder().then(new Op.Put(key, value, false, lease), new Op.Get(key)).build();
        return kv.txn(put).handle((r, e) -> {
            if (e != null) {
                // The lease ended while we waited (nothing was written), or the outcome is unknown: give the lock
                // back and delete whatever the put may have left.
                lock.release();
                kv.delete(key).exceptionally(x -> null);
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            KeyValue written = ((OpResult.Get) r.results().get(1)).keyValue().orElseThrow();
            return new Grant(key, written.createRevision(), lease);
        }).thenCompose(grant -> track(lock, grant, cancelled));
    }

    /**
     * Starts following the ownership key. It is registered before checking that the key still exists, so a delete
     * applied on this node after the check reaches the listener, and one applied before it is seen by the check.
     */
    private CompletableFuture<Grant> track(LockLease lock, Grant grant, BooleanSupplier cancelled) {
        ByteString k = ByteString.copyFrom(grant.key());
        Held h = new Held(lock, grant.createRevision());
        held.put(k, h);
        lock.lost().thenAccept(reason -> {
            if (held.remove(k, h)) {
                end(grant.key(), grant.createRevision()).exceptionally(x -> null);
            }
        });
        // Linearizable: the put may have been applied by the leader but not by this node yet.
        return node.read(ReadConsistency.LINEARIZABLE, () -> stateMachine.get(grant.key())).thenApply(current -> {
            boolean stillThere = current.isPresent() && current.get().createRevision() == grant.createRevision();
            if (!stillThere || cancelled.getAsBoolean()) {
                if (held.remove(k, h)) {
                    lock.release();
                }
                end(grant.key(), grant.createRevision()).exceptionally(x -> null);
                throw Status.CANCELLED.withDescription(stillThere ? "the client cancelled the request"
                        : "the lock ended (its key was deleted) before it could be handed over").asRuntimeException();
            }
            return grant;
        });
    }

    private CompletableFuture<Long> leaseTtl(long lease, ReadConsistency consistency) {
        return node.read(consistency, () -> stateMachine.leases().get(lease)).thenCompose(ttl -> ttl == null
                ? CompletableFuture.failedFuture(EtcdErrors.leaseNotFound()) : CompletableFuture.completedFuture(ttl));
    }

    /**
     * The volatile lock lasts as long as the etcd lease: if this node stops, the lock frees itself about one TTL
     * later, as etcd's would when its holder stops keeping the lease alive.
     */
    private Duration volatileLease(long ttlSeconds) {
        Duration min = volatiles.tick().multipliedBy(MIN_LEASE_TICKS);
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        return ttl.compareTo(min) < 0 ? min : ttl;
    }

    @Override
    public void close() {
        Watch w = deletes;
        if (w != null) {
            w.cancel();
        }
        held.values().forEach(h -> h.lock().release());
        held.clear();
    }

    /** Releases a held lock when its ownership key is deleted (by anyone, on any node). */
    private final class DeleteListener implements WatchListener {

        @Override
        public void onEvent(WatchEvent event) {
            if (event.type() != WatchEvent.Type.DELETE) {
                return;
            }
            ByteString k = ByteString.copyFrom(event.key());
            Held h = held.get(k);
            // A delete of an earlier key of the same name and lease is not the end of this grant.
            if (h != null && event.revision() > h.createRevision() && held.remove(k, h)) {
                h.lock().release();
            }
        }

        @Override
        public void onOverflow(WatchOverflow overflow) {
            try {
                deletes = stateMachine.watches().watch("**", overflow.resumeFromRevision(), this);
            } catch (CompactedException e) {
                // The missed deletes are gone from the history: follow from now and look at every held key instead.
                deletes = stateMachine.watches().watch("**", this);
                held.forEach((k, h) -> node.read(ReadConsistency.LOCAL, () -> stateMachine.get(k.toByteArray()))
                        .thenAccept(v -> {
                            if ((v.isEmpty() || v.get().createRevision() != h.createRevision()) && held.remove(k, h)) {
                                h.lock().release();
                            }
                        }));
            }
        }
    }
}
