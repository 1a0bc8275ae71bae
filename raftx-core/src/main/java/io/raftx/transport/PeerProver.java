package io.raftx.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftx.transport.proto.ChallengeRequest;
import io.raftx.transport.proto.ChallengeResponse;
import io.raftx.transport.proto.RaftPeerGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of the plaintext node id proof ({@link PeerProof}): attaches the proof for the peer's current
 * connection to every call. The proof is dropped when the connection goes and renewed for the next one (a
 * {@code Challenge} call as soon as it is READY); the replication stream opens only then ({@link #ready}), so its
 * first messages are not refused. A call that raced the challenge is refused with the connection's challenge, which
 * is answered at once; the replication stream, votes and forwarded requests then repeat such a call once.
 */
final class PeerProver implements ClientInterceptor {

    private static final Logger log = LoggerFactory.getLogger(PeerProver.class);

    private final String nodeId;
    private final String peerId;
    private final PeerProof proofs;
    private volatile byte[] proof;
    /** The last challenge call failed (e.g. a wrong cluster token): calls go out and fail with the reason. */
    private volatile boolean challengeFailed;
    private volatile Runnable onProven = () -> { };

    PeerProver(String nodeId, String peerId, PeerProof proofs) {
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.proofs = proofs;
    }

    /** Answers a challenge: later calls carry the proof for that nonce. */
    void answer(byte[] nonce) {
        proof = proofs.compute(nodeId, nonce);
        challengeFailed = false;
        onProven.run();
    }

    /**
     * Whether a call sent now would be admitted as far as this side knows: the current connection's challenge is
     * answered; or the challenge itself failed, and the call should fail with the peer's reason rather than wait.
     */
    boolean ready() {
        return proof != null || challengeFailed;
    }

    /** Called (on the channel's executor) each time a connection's challenge has been answered. */
    void onProven(Runnable action) {
        this.onProven = action;
    }

    /**
     * Connects {@code channel} now and answers the challenge of every connection it makes, until it shuts down.
     * Callbacks run on the channel's executor.
     */
    void watch(ManagedChannel channel, RaftPeerGrpc.RaftPeerStub stub) {
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.SHUTDOWN) {
            return;
        }
        if (state != ConnectivityState.READY) {
            proof = null; // the next connection has a new challenge
            challengeFailed = false;
        } else {
            stub.challenge(ChallengeRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(ChallengeResponse response) {
                    answer(response.getNonce().toByteArray());
                }

                @Override
                public void onError(Throwable t) {
                    challengeFailed = true;
                    onProven.run();
                    log.debug("node {}: challenge of peer {} failed: {}", nodeId, peerId, Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        channel.notifyWhenStateChanged(state, () -> watch(channel, stub));
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                byte[] p = proof;
                if (p != null) {
                    headers.put(PeerProof.PROOF_HEADER, p);
                }
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        byte[] nonce = status.getCode() == Status.Code.UNAUTHENTICATED
                                ? trailers.get(PeerProof.CHALLENGE_TRAILER) : null;
                        if (nonce != null) {
                            answer(nonce);
                        }
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
