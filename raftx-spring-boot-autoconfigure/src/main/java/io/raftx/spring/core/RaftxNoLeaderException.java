package io.raftx.spring.core;

/** No leader was known within the request timeout: an election is running or no majority is reachable. */
public class RaftxNoLeaderException extends RaftxNotAppliedException {

    public RaftxNoLeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
