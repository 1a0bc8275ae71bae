package io.raftx.spring.core;

/** A value could not be converted by the template's {@link RaftxValueSerializer}. */
public class RaftxSerializationException extends RaftxInvalidRequestException {

    public RaftxSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
