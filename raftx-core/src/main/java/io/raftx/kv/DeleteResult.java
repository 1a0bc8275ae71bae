package io.raftx.kv;

import java.util.Optional;

/**
 * @param revision     the revision of the delete, or the unchanged current revision when nothing was deleted
 * @param deletedCount 1 if the key existed, else 0
 * @param previous     the removed key-value when asked for and the key existed
 */
public record DeleteResult(long revision, long deletedCount, Optional<KeyValue> previous) {

    public boolean deleted() {
        return deletedCount > 0;
    }
}
