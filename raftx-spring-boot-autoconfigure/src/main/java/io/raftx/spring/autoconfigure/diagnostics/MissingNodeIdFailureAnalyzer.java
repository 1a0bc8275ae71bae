package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class MissingNodeIdFailureAnalyzer extends AbstractFailureAnalyzer<MissingNodeIdException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingNodeIdException cause) {
        return new FailureAnalysis(
                "RaftX cannot start: this node has no id (raftx.node-id is not set).",
                "Give every instance a unique, stable id, for example 'raftx.node-id=n1' in application.yml or"
                        + " '--raftx.node-id=n1' on the command line. The id must stay the same across restarts.",
                cause);
    }
}
