package io.raftx.volatilenode.wire;

import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileValue;
import io.raftx.volatiles.WriteOutcome;
import java.util.Objects;

/**
 * The leader's answer to a {@link ForwardedRequest}: a refusal (definitely not applied), a write's outcome, or a
 * strong read's result. Exactly the fields of its kind are set.
 *
 * @param refusal     for REFUSED
 * @param leaderHint  for REFUSED: the Raft leader the answering node knows of, or null
 * @param writeStatus for WRITTEN
 * @param readStatus  for READ
 * @param index       WRITTEN: the op's index; READ: the applied index the read was served at
 * @param epoch       WRITTEN: the epoch the op was sequenced in
 * @param value       READ with status OK: the key's value, or null if absent
 */
public record ForwardedReply(long attemptId, Kind kind, Admission.Refusal refusal, String leaderHint,
                             WriteOutcome.Status writeStatus, ReadResult.Status readStatus, long index, long epoch,
                             VolatileValue value) {

    public enum Kind { REFUSED, WRITTEN, READ }

    public ForwardedReply {
        Objects.requireNonNull(kind, "kind");
        boolean ok = switch (kind) {
            case REFUSED -> refusal != null && writeStatus == null && readStatus == null && value == null;
            case WRITTEN -> writeStatus != null && refusal == null && readStatus == null && value == null;
            case READ -> readStatus != null && refusal == null && writeStatus == null
                    && (value == null || readStatus == ReadResult.Status.OK);
        };
        if (!ok || index < 0 || epoch < 0) {
            throw new IllegalArgumentException("inconsistent " + kind + " reply");
        }
    }

    public static ForwardedReply refused(long attemptId, Admission.Refusal refusal, String leaderHint) {
        return new ForwardedReply(attemptId, Kind.REFUSED, refusal, leaderHint, null, null, 0, 0, null);
    }

    public static ForwardedReply written(long attemptId, WriteOutcome outcome) {
        return new ForwardedReply(attemptId, Kind.WRITTEN, null, null, outcome.status(), null, outcome.index(),
                outcome.epoch(), null);
    }

    public static ForwardedReply read(long attemptId, ReadResult result) {
        return new ForwardedReply(attemptId, Kind.READ, null, null, null, result.status(), result.index(), 0,
                result.ok() ? result.value() : null);
    }
}
