package io.raftx.kv;

import io.raftx.node.NotAppliedException;

/**
 * The request is invalid (empty or oversized key, oversized value, too many operations, malformed command) and was
 * not applied; retrying it unchanged fails the same way. Callers map it to "bad request" (HTTP 400), not to 503.
 */
public class InvalidRequestException extends NotAppliedException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
