package io.raftx.spring.core;

import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileConsistency;
import io.raftx.volatiles.VolatileValue;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** {@link RaftxVolatileOperations} over the node's {@link VolatileClient}. */
final class DefaultRaftxVolatileOperations<V> implements RaftxVolatileOperations<V> {

    /** A delete is a read then a delete at that version; a concurrent write makes it look again, this often. */
    private static final int DELETE_ATTEMPTS = 3;

    private final VolatileClient client;
    private final KeyValueCalls<V> values;

    DefaultRaftxVolatileOperations(VolatileClient client, KeyValueCalls<V> values) {
        this.client = client;
        this.values = values;
    }

    @Override
    public long set(String key, V value, Duration ttl) {
        return await("volatile set", key, true, () -> client.put(key, values.valueBytes(key, value), ttl)).index();
    }

    @Override
    public boolean putIfAbsent(String key, V value, Duration ttl) {
        return await("volatile putIfAbsent", key, true,
                () -> client.putIfAbsent(key, values.valueBytes(key, value), ttl)).applied();
    }

    @Override
    public Optional<V> get(String key) {
        return get(key, VolatileConsistency.STRONG);
    }

    @Override
    public Optional<V> get(String key, VolatileConsistency consistency) {
        return read(key, consistency).map(v -> {
            if (v.isSet()) {
                throw new RaftxInvalidRequestException("volatile key '" + key + "' holds a set; read it with"
                        + " members()", null);
            }
            return values.serializer().deserialize(v.bytes());
        });
    }

    @Override
    public boolean delete(String key) {
        for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
            Optional<VolatileValue> current = read(key, VolatileConsistency.STRONG);
            if (current.isEmpty()) {
                return false;
            }
            long version = current.get().version();
            if (await("volatile delete", key, true, () -> client.deleteIfVersion(key, version)).applied()) {
                return true;
            }
        }
        // Rewritten between each read and delete: remove whatever is there now.
        await("volatile delete", key, true, () -> client.delete(key));
        return true;
    }

    @Override
    public void addToSet(String key, String member, Duration ttl) {
        await("volatile addToSet", key, true, () -> client.addToSet(key, member, ttl));
    }

    @Override
    public void removeFromSet(String key, String member) {
        await("volatile removeFromSet", key, true, () -> client.removeFromSet(key, member));
    }

    @Override
    public Set<String> members(String key, VolatileConsistency consistency) {
        return await("volatile members", key, false, () -> client.members(key, consistency));
    }

    private Optional<VolatileValue> read(String key, VolatileConsistency consistency) {
        return await("volatile get", key, false, () -> client.get(key, consistency));
    }

    /** Waits on the caller's thread and translates there, so the stack trace shows the caller. */
    private static <T> T await(String operation, String key, boolean write, Supplier<CompletableFuture<T>> start) {
        String described = operation + " '" + key + "'";
        try {
            return start.get().get();
        } catch (ExecutionException e) {
            throw RaftxExceptionTranslator.translate(described, e.getCause(), write);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaftxUnknownOutcomeException(described + " interrupted while waiting for the outcome", e);
        } catch (RuntimeException e) {
            throw RaftxExceptionTranslator.translate(described, e, write);
        }
    }
}
