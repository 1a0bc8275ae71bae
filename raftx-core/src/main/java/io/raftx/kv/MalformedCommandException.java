package io.raftx.kv;

/** Bytes that are not a valid KV command or response (wrong version, truncated, inconsistent lengths). */
public class MalformedCommandException extends IllegalArgumentException {

    public MalformedCommandException(String message) {
        super(message);
    }
}
