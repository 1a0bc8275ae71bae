package io.raftx.sample;

import io.raftx.spring.core.RaftxInvalidRequestException;
import io.raftx.spring.core.RaftxUnknownOutcomeException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code {"error": "..."}}: 400 for bad input, 404 for a missing key, 503 when the request was
 * certainly not applied (no leader, not the leader, shutting down), 504 when a write's outcome is unknown, 409 when
 * a lock is held by another instance, 500 for anything unexpected. Spring MVC's own errors (missing parameter,
 * unknown path, unreadable body) keep their status; errors raised before Spring MVC are answered by
 * {@link JsonErrorController}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(RaftxInvalidRequestException.class)
    ResponseEntity<Object> invalid(RaftxInvalidRequestException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** Not applied, retry: RaftX's not-applied, no-leader and node-unavailable exceptions are all transient. */
    @ExceptionHandler(TransientDataAccessException.class)
    ResponseEntity<Object> notApplied(TransientDataAccessException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(RaftxUnknownOutcomeException.class)
    ResponseEntity<Object> unknownOutcome(RaftxUnknownOutcomeException e) {
        return error(HttpStatus.GATEWAY_TIMEOUT, e.getMessage());
    }

    /** Another instance holds the lock (a transient condition, but not one that a plain 503 describes). */
    @ExceptionHandler(CannotAcquireLockException.class)
    ResponseEntity<Object> lockHeld(CannotAcquireLockException e) {
        return error(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Object> badRequest(BadRequestException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(KeyNotFoundException.class)
    ResponseEntity<Object> notFound(KeyNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** A body that is not the JSON the endpoint takes: say what was wrong with it, not just "failed to read". */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        String detail = cause == ex ? ex.getMessage() : cause.getMessage();
        return error(HttpStatus.BAD_REQUEST, "the request body could not be read: "
                + (detail == null ? "it is missing or empty" : detail.lines().findFirst().orElse(detail)));
    }

    /** Anything else is a bug or an unexpected failure: still JSON, 500, and logged with its stack trace. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected failure answering a request", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
    }

    /** Spring MVC's own exceptions, with their status, in the same shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        String message = body instanceof ProblemDetail problem && problem.getDetail() != null
                ? problem.getDetail() : ex.getMessage();
        return error(statusCode, message);
    }

    static ResponseEntity<Object> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message == null ? status.toString() : message));
    }
}
