package io.raftx.sample;

/** A request parameter the API does not accept; answered with 400. */
class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message);
    }
}
