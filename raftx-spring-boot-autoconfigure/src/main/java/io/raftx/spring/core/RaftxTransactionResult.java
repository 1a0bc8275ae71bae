package io.raftx.spring.core;

import java.util.Map;

/**
 * @param succeeded whether every condition held, so the then-operations ran (otherwise the else-operations did)
 * @param revision  the store revision after the transaction (unchanged if it wrote nothing)
 * @param values    what the get-operations of the branch that ran found, key to value; absent keys are left out
 * @param deleted   how many keys the delete-operations of that branch removed
 */
public record RaftxTransactionResult<V>(boolean succeeded, long revision, Map<String, V> values, long deleted) {

    public RaftxTransactionResult {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
