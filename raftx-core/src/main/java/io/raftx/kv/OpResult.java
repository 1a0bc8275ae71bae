package io.raftx.kv;

import java.util.List;
import java.util.Optional;

/** The result of one {@link Op}, in the order the ops ran. */
public sealed interface OpResult permits OpResult.Put, OpResult.Delete, OpResult.Get, OpResult.DeleteRange,
        OpResult.Range {

    /** @param previous the replaced key-value, if the op asked for it and the key existed */
    record Put(Optional<KeyValue> previous) implements OpResult { }

    /** @param deleted 1 if the key existed, else 0; {@code previous} if asked for and it existed */
    record Delete(long deleted, Optional<KeyValue> previous) implements OpResult { }

    record Get(Optional<KeyValue> keyValue) implements OpResult { }

    /** @param previous the removed key-values in key order, if the op asked for them (else empty) */
    record DeleteRange(long deleted, List<KeyValue> previous) implements OpResult {
        public DeleteRange {
            previous = List.copyOf(previous);
        }
    }

    /** @param keyValues the keys of the range in key order */
    record Range(List<KeyValue> keyValues) implements OpResult {
        public Range {
            keyValues = List.copyOf(keyValues);
        }
    }
}
