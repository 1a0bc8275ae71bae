package io.raftx.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DataDirectoryNotWritableFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryNotWritableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryNotWritableException cause) {
        return new FailureAnalysis(
                "RaftX cannot start: " + cause.getMessage() + ".",
                "Point raftx.data-dir at a directory this process can create and write (one per node), or fix the"
                        + " permissions of " + cause.getDirectory().toAbsolutePath() + ".",
                cause);
    }
}
