package io.raftx.benchmark;

import java.util.concurrent.CompletableFuture;

/** A target that can run compare-and-set transactions (the etcd API's Txn). */
interface CasTarget {

    CompletableFuture<?> cas(long i, byte[] key, byte[] value);
}
