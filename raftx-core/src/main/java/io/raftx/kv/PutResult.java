package io.raftx.kv;

import java.util.Optional;

/** @param previous the replaced key-value when asked for and the key existed */
public record PutResult(long revision, Optional<KeyValue> previous) { }
