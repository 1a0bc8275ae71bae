package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class InvalidRaftxPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRaftxPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidRaftxPropertyException cause) {
        String shown = cause.getValue() == null ? "" : " '" + cause.getValue() + "'";
        return new FailureAnalysis(
                "RaftX cannot start: the value" + shown + " of " + cause.getProperty() + " is invalid: "
                        + cause.getReason() + ".",
                "Change " + cause.getProperty() + " in your configuration (application.yml, environment or"
                        + " command line). Every raftx.* key, with its default, is listed in the configuration"
                        + " reference (src-docs/configuration.md).",
                cause);
    }
}
