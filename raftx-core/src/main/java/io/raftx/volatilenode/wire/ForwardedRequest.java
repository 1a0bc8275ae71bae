package io.raftx.volatilenode.wire;

import io.raftx.volatiles.VolatileOp;
import java.util.Objects;

/**
 * A client request a follower forwards to the leader: a write ({@code op}) or a strong read of {@code readKey}
 * (exactly one is set). {@code attemptId} is the follower's id for this one attempt; the leader's
 * {@link ForwardedReply} echoes it, so a late reply to an earlier attempt is recognised and ignored.
 */
public record ForwardedRequest(long attemptId, VolatileOp op, String readKey) {

    public ForwardedRequest {
        if ((op == null) == (readKey == null)) {
            throw new IllegalArgumentException("a forwarded request is either a write or a read");
        }
        if (op != null && op.isExpiry()) {
            throw new IllegalArgumentException("expiries are the leader's own and are never forwarded: " + op);
        }
    }

    public static ForwardedRequest write(long attemptId, VolatileOp op) {
        return new ForwardedRequest(attemptId, Objects.requireNonNull(op, "op"), null);
    }

    public static ForwardedRequest read(long attemptId, String key) {
        return new ForwardedRequest(attemptId, null, Objects.requireNonNull(key, "key"));
    }

    public boolean isWrite() {
        return op != null;
    }
}
