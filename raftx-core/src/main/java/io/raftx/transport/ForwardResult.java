package io.raftx.transport;

/**
 * The leader's answer to a request a follower forwarded to it. {@code index}/{@code result} are set for
 * {@link Status#APPLIED}; {@code leaderHint} may name the real leader for {@link Status#NOT_LEADER}.
 */
public record ForwardResult(Status status, long index, byte[] result, String leaderHint, String error) {

    public enum Status { APPLIED, NOT_LEADER, NO_LEADER, NOT_APPLIED, UNKNOWN, SHUTDOWN }

    public static ForwardResult applied(long index, byte[] result) {
        return new ForwardResult(Status.APPLIED, index, result, null, null);
    }

    public static ForwardResult failed(Status status, String leaderHint, String error) {
        return new ForwardResult(status, 0, new byte[0], leaderHint, error);
    }
}
