package io.raftx.node;

/** The node is not running (not started yet, or shut down) and did not accept the request. Not applied. */
public class ShutdownException extends NotAppliedException {

    public ShutdownException(String message) {
        super(message);
    }
}
