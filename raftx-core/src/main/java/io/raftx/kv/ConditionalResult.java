package io.raftx.kv;

import java.util.Optional;

/**
 * The outcome of putIfAbsent, update and the compare-and-set calls.
 *
 * @param succeeded whether the condition held and the value was written
 * @param revision  the write's revision on success, else the unchanged current revision
 * @param previous  the key as it was when the condition was checked (empty when absent) — on failure this is the
 *                  current value a caller needs to retry a compare-and-set
 */
public record ConditionalResult(boolean succeeded, long revision, Optional<KeyValue> previous) { }
