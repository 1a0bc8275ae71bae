package io.raftx.spring.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.kv.InvalidRequestException;
import io.raftx.node.LeadershipLostException;
import io.raftx.node.NoLeaderException;
import io.raftx.node.NotAppliedException;
import io.raftx.node.ShutdownException;
import io.raftx.node.UnknownOutcomeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.DataAccessException;

class RaftxExceptionTranslatorTests {

    private static DataAccessException translate(Throwable e) {
        return RaftxExceptionTranslator.translate("set 'k'", e, true);
    }

    @Test
    void invalidRequestsAreNotMistakenForTheirNotAppliedSuperclass() {
        DataAccessException e = translate(new InvalidRequestException("key too long"));
        assertThat(e).isExactlyInstanceOf(RaftxInvalidRequestException.class)
                .hasMessage("set 'k' failed: key too long").hasCauseInstanceOf(InvalidRequestException.class);
        assertThat(((RaftxException) e).definitelyNotApplied()).isTrue();
    }

    @Test
    void mapsEachCoreFailure() {
        assertThat(translate(new NoLeaderException("x"))).isExactlyInstanceOf(RaftxNoLeaderException.class);
        assertThat(translate(new ShutdownException("x"))).isExactlyInstanceOf(RaftxNodeUnavailableException.class);
        assertThat(translate(new LeadershipLostException("x"))).isExactlyInstanceOf(RaftxNotAppliedException.class);
        assertThat(translate(new NotAppliedException("x"))).isExactlyInstanceOf(RaftxNotAppliedException.class);
        DataAccessException unknown = translate(new UnknownOutcomeException("timed out"));
        assertThat(unknown).isExactlyInstanceOf(RaftxUnknownOutcomeException.class);
        assertThat(((RaftxException) unknown).definitelyNotApplied()).isFalse();
        assertThat(translate(new IllegalArgumentException("bad"))).isInstanceOf(RaftxInvalidRequestException.class);
    }

    @Test
    void unwrapsFutureWrappers() {
        assertThat(translate(new CompletionException(new ExecutionException(new NoLeaderException("x")))))
                .isExactlyInstanceOf(RaftxNoLeaderException.class);
    }

    @Test
    void anUnexpectedFailureOfAWriteIsAnUnknownOutcomeButOfAReadNotApplied() {
        assertThat(translate(new IllegalStateException("bug"))).isInstanceOf(RaftxUnknownOutcomeException.class);
        assertThat(RaftxExceptionTranslator.translate("get 'k'", new IllegalStateException("bug"), false))
                .isInstanceOf(RaftxNotAppliedException.class);
    }

    @Test
    void keepsExceptionsThatAreAlreadyTranslated() {
        DataAccessException original = new RaftxNoLeaderException("x", null);
        assertThat(translate(new CompletionException(original))).isSameAs(original);
    }

    /** Spring's retry and translation tooling classifies by these categories. */
    @Test
    void eachExceptionSitsInTheSpringCategoryThatSaysWhetherToRetry() {
        assertThat(translate(new InvalidRequestException("x"))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .isInstanceOf(NonTransientDataAccessException.class);
        assertThat(translate(new NotAppliedException("x"))).isInstanceOf(TransientDataAccessException.class);
        assertThat(translate(new NoLeaderException("x"))).isInstanceOf(TransientDataAccessResourceException.class);
        assertThat(translate(new ShutdownException("x"))).isInstanceOf(TransientDataAccessResourceException.class);
        assertThat(translate(new UnknownOutcomeException("x"))).isNotInstanceOf(TransientDataAccessException.class)
                .isNotInstanceOf(NonTransientDataAccessException.class)
                .isNotInstanceOf(DataAccessResourceFailureException.class);
    }
}
