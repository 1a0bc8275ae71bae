package io.raftx.kv;

import java.util.List;

/**
 * @param succeeded whether every compare held (then-ops ran) or not (else-ops ran)
 * @param revision  the store's revision after the transaction: the new one if it wrote, else the unchanged current one
 * @param results   one result per executed op, in order
 */
public record TxnResult(boolean succeeded, long revision, List<OpResult> results) {

    public TxnResult {
        results = List.copyOf(results);
    }
}
