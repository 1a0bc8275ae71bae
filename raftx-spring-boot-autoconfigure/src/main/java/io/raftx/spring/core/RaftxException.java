package io.raftx.spring.core;

/**
 * Implemented by every exception {@link RaftxTemplate} throws. Each of them is also a Spring
 * {@link org.springframework.dao.DataAccessException}, placed where Spring's retry and translation tooling expects:
 * <ul>
 *   <li>{@link RaftxInvalidRequestException}: an {@code InvalidDataAccessApiUsageException}; the request is wrong and
 *       retrying it unchanged fails again;</li>
 *   <li>{@link RaftxNotAppliedException}: a {@code TransientDataAccessException}; certainly not applied, safe to
 *       retry;</li>
 *   <li>{@link RaftxNoLeaderException}, {@link RaftxNodeUnavailableException}: a
 *       {@code TransientDataAccessResourceException}; not applied because the cluster or this node cannot take
 *       requests right now; retry later;</li>
 *   <li>{@link RaftxUnknownOutcomeException}: a write may or may not have been applied.</li>
 * </ul>
 * Catch {@code DataAccessException} (or one of the Spring categories above); this interface adds what Spring's
 * categories cannot say.
 */
public interface RaftxException {

    /** True when the request certainly had no effect, so retrying cannot apply it twice. */
    boolean definitelyNotApplied();
}
