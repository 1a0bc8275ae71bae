package io.raftx.spring.core;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * The request was rejected before it was proposed: an empty or oversized key or value, too many transaction
 * operations, an unknown node id, a value the serializer cannot write. Not applied; fix the request.
 */
public class RaftxInvalidRequestException extends InvalidDataAccessApiUsageException implements RaftxException {

    public RaftxInvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
