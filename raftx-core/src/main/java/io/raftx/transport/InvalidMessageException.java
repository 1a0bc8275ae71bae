package io.raftx.transport;

/** A message that cannot be converted between its wire and core forms, with the reason in the message text. */
public final class InvalidMessageException extends IllegalArgumentException {

    public InvalidMessageException(String message) {
        super(message);
    }
}
