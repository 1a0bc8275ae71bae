package io.raftx.sample;

import io.raftx.spring.core.RaftxInvalidRequestException;
import io.raftx.spring.core.RaftxUnknownOutcomeException;
import java.util.Map;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code {"error": "..."}}: 400 for bad input, 404 for a missing key, 503 when the request was
 * certainly not applied (no leader, not the leader, shutting down), 504 when a write's outcome is unknown, 409 when
 * a lock is held by another instance. Spring MVC's own errors (missing parameter, unknown path) keep their status.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

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
