package io.raftx.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The errors etcd's gRPC API answers with, with etcd's status codes and messages (clients match on the message
 * text), and RaftX's own refusals for what it does not support, which name the field.
 */
final class EtcdErrors {

    static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
    static final String FUTURE_REVISION = "etcdserver: mvcc: required revision is a future revision";

    private EtcdErrors() {
    }

    static StatusRuntimeException emptyKey() {
        return invalid("etcdserver: key is not provided");
    }

    static StatusRuntimeException keyNotFound() {
        return invalid("etcdserver: key not found");
    }

    static StatusRuntimeException valueProvided() {
        return invalid("etcdserver: value is provided");
    }

    static StatusRuntimeException leaseProvided() {
        return invalid("etcdserver: lease is provided");
    }

    static StatusRuntimeException tooManyOps() {
        return invalid("etcdserver: too many operations in txn request");
    }

    static StatusRuntimeException duplicateKey() {
        return invalid("etcdserver: duplicate key given in txn request");
    }

    static StatusRuntimeException invalidSortOption() {
        return invalid("etcdserver: invalid sort option");
    }

    static StatusRuntimeException requestTooLarge() {
        return invalid("etcdserver: request is too large");
    }

    static StatusRuntimeException compacted() {
        return Status.OUT_OF_RANGE.withDescription(COMPACTED).asRuntimeException();
    }

    static StatusRuntimeException futureRevision() {
        return Status.OUT_OF_RANGE.withDescription(FUTURE_REVISION).asRuntimeException();
    }

    static StatusRuntimeException leaseNotFound() {
        return Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException();
    }

    static StatusRuntimeException leaseExists() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists").asRuntimeException();
    }

    static StatusRuntimeException leaseTtlTooLarge() {
        return Status.OUT_OF_RANGE.withDescription("etcdserver: too large lease TTL").asRuntimeException();
    }

    static StatusRuntimeException noLeader() {
        return Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException();
    }

    static StatusRuntimeException memberNotFound() {
        return Status.NOT_FOUND.withDescription("etcdserver: member not found").asRuntimeException();
    }

    static StatusRuntimeException peerUrlExists() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: Peer URLs already exists").asRuntimeException();
    }

    static StatusRuntimeException memberBadUrls() {
        return invalid("etcdserver: given member URLs are invalid");
    }

    static StatusRuntimeException memberNotLearner() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: can only promote a learner member")
                .asRuntimeException();
    }

    static StatusRuntimeException learnerNotReady() {
        return Status.FAILED_PRECONDITION
                .withDescription("etcdserver: can only promote a learner member which is in sync with leader")
                .asRuntimeException();
    }

    static StatusRuntimeException badLeaderTransferee() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: bad leader transferee").asRuntimeException();
    }

    static StatusRuntimeException notLeader() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader").asRuntimeException();
    }

    static StatusRuntimeException electionNotLeader() {
        return Status.FAILED_PRECONDITION.withDescription("etcdserver: election: not leader").asRuntimeException();
    }

    static StatusRuntimeException electionNoLeader() {
        return Status.UNAVAILABLE.withDescription("etcdserver: election: no leader").asRuntimeException();
    }

    static StatusRuntimeException noSpace() {
        return Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: mvcc: database space exceeded")
                .asRuntimeException();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** A request option RaftX does not implement: says which field, and what to do instead when there is a way. */
    static StatusRuntimeException unsupported(String option, String instead) {
        return Status.UNIMPLEMENTED.withDescription("RaftX's etcd API does not support " + option
                + (instead == null ? "" : "; " + instead)).asRuntimeException();
    }
}
