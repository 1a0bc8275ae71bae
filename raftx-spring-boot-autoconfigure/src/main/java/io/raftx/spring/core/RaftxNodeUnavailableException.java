package io.raftx.spring.core;

/** The local node is not running (not started yet, or shutting down) and did not accept the request. */
public class RaftxNodeUnavailableException extends RaftxNotAppliedException {

    public RaftxNodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
