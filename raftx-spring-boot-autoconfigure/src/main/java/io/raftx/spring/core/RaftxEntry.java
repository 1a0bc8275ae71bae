package io.raftx.spring.core;

/**
 * A key's value with its etcd-style metadata.
 *
 * @param createRevision revision of the write that created the key (since it was last deleted)
 * @param modRevision    revision of the last write to the key; use it for optimistic concurrency in transactions
 * @param version        writes since the key was created (1 after the creating write)
 */
public record RaftxEntry<V>(String key, V value, long createRevision, long modRevision, long version) {
}
