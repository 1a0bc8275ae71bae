package io.raftx.node;

/** No leader was known before the request's deadline (election in progress, or no quorum). Not applied. */
public class NoLeaderException extends NotAppliedException {

    public NoLeaderException(String message) {
        super(message);
    }
}
