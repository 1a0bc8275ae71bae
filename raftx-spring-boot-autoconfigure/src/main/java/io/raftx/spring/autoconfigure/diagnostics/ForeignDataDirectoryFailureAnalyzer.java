package io.raftx.spring.autoconfigure.diagnostics;

import io.raftx.storage.DataDirIdentity;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** {@code raftx.data-dir} belongs to another node or cluster: name both and the way out. */
class ForeignDataDirectoryFailureAnalyzer
        extends AbstractFailureAnalyzer<DataDirIdentity.ForeignDataDirectoryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirIdentity.ForeignDataDirectoryException cause) {
        DataDirIdentity owner = cause.owner();
        DataDirIdentity configured = cause.configured();
        return new FailureAnalysis(
                "RaftX cannot start: data directory " + cause.directory().toAbsolutePath() + " belongs to node '"
                        + owner.nodeId() + "' of cluster '" + owner.clusterId() + "', but this instance is node '"
                        + configured.nodeId() + "' of cluster '" + configured.clusterId() + "'. Starting on it would"
                        + " make two processes act as the same member.",
                "Point raftx.data-dir at this node's own directory, or at an empty one to join as a new member. If"
                        + " raftx.node-id or raftx.cluster-id is what is wrong, correct it instead. Never copy a data"
                        + " directory from one node to another.",
                cause);
    }
}
