package io.raftx.spring.autoconfigure.diagnostics;

/** {@code raftx.node-id} is not set. */
public class MissingNodeIdException extends RuntimeException {

    public MissingNodeIdException() {
        super("raftx.node-id is not set");
    }
}
