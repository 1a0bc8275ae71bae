package io.raftx.spring.core;

/**
 * Root of the unchecked exceptions thrown by {@link RaftxTemplate}. The subclass says what a caller may do next:
 * <ul>
 *   <li>{@link RaftxInvalidRequestException}: the request is wrong; retrying it unchanged fails again;</li>
 *   <li>{@link RaftxNotAppliedException} (and its subclasses): certainly not applied; safe to retry;</li>
 *   <li>{@link RaftxUnknownOutcomeException}: a write may or may not have been applied.</li>
 * </ul>
 */
public abstract class RaftxException extends RuntimeException {

    protected RaftxException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the request certainly had no effect, so retrying cannot apply it twice. */
    public abstract boolean definitelyNotApplied();
}
