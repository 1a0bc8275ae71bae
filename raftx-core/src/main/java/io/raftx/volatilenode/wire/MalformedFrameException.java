package io.raftx.volatilenode.wire;

/**
 * Bytes on the volatile channel that do not decode: wrong format version, unknown type, truncated, oversized, or
 * values the protocol does not allow. The message names the field and byte offset; the frame is dropped whole and
 * nothing of it reaches the volatile core.
 */
public final class MalformedFrameException extends IllegalArgumentException {

    public MalformedFrameException(String message) {
        super(message);
    }

    public MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
