package io.raftx.transport;

import static io.raftx.transport.TransportTestSupport.addresses;
import static io.raftx.transport.TransportTestSupport.await;
import static io.raftx.transport.TransportTestSupport.blocking;
import static io.raftx.transport.TransportTestSupport.claimingChannel;
import static io.raftx.transport.TransportTestSupport.config;
import static io.raftx.transport.TransportTestSupport.provenChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.transport.TransportTestSupport.Inbox;
import io.raftx.transport.TransportTestSupport.ProvenChannel;
import io.raftx.transport.proto.PeerEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without TLS each connection proves its node id once (HMAC of the connection's challenge with the cluster token) and
 * may then speak only as that node. Node b lists n2 and n3 as members; the tests play n2 with raw clients.
 */
class PeerIdentityTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private GrpcTransport receiver(Inbox inbox) {
        GrpcTransport b = new GrpcTransport(config("b").build());
        toClose.add(b);
        b.start(inbox, null);
        Map<String, String> members = new LinkedHashMap<>(addresses(b));
        members.put("n2", "127.0.0.1:1");
        members.put("n3", "127.0.0.1:2");
        b.updatePeers(members);
        return b;
    }

    private <T extends ManagedChannel> T closing(T channel) {
        toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    private static PeerEnvelope vote(String from, long term) {
        return MessageCodec.toEnvelope(Message.voteRequest(MessageType.VOTE, from, "b", term, 0, 0, 0, 0));
    }

    private static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException[] caught = new StatusRuntimeException[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> caught[0] = e);
        return caught[0];
    }

    @Test
    void aConnectionThatProvedN2CannotSendAsN3() {
        Inbox inbox = new Inbox();
        GrpcTransport b = receiver(inbox);
        ProvenChannel n2 = provenChannel(b.port(), "n2");
        closing(n2.channel());

        blocking(n2.channel()).vote(vote("n2", 1));
        assertThat(inbox.messages).extracting(Message::from).containsExactly("n2");
        assertThat(b.stats().identityRefused()).isZero();

        // The call says n2 but the message inside claims n3.
        Status inside = refusal(() -> blocking(n2.channel()).vote(vote("n3", 2))).getStatus();
        assertThat(inside.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(inside.getDescription()).isEqualTo("VOTE from 'n3' came over a connection that proved it is node"
                + " 'n2': a peer may only send as itself");
        assertThat(b.stats().identityRefused()).isEqualTo(1);

        // The same connection now claims to be n3 for the whole call.
        n2.claim().set("n3");
        Status claimed = refusal(() -> blocking(n2.channel()).vote(vote("n3", 3))).getStatus();
        assertThat(claimed.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(claimed.getDescription()).isEqualTo("this connection proved it is node 'n2'; it cannot speak as"
                + " 'n3'");
        assertThat(b.stats().identityRefused()).isEqualTo(2);
        assertThat(inbox.messages).extracting(Message::from).containsExactly("n2");

        // Still n2 afterwards.
        n2.claim().set("n2");
        blocking(n2.channel()).vote(vote("n2", 4));
        assertThat(inbox.messages).extracting(Message::term).containsExactly(1L, 4L);
    }

    @Test
    void aReplayedProofIsRefusedOnAnotherConnection() {
        Inbox inbox = new Inbox();
        GrpcTransport b = receiver(inbox);
        ProvenChannel original = provenChannel(b.port(), "n2");
        closing(original.channel());
        blocking(original.channel()).vote(vote("n2", 1));

        // Someone who saw n2's proof (it travels in clear without TLS) sends it on a connection of its own.
        ManagedChannel replay = closing(claimingChannel(b.port(), new AtomicReference<>("n2"), original.proof())
                .build());
        StatusRuntimeException e = refusal(() -> blocking(replay).vote(vote("n2", 2)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription()).contains("does not answer this connection's challenge");
        byte[] challenge = e.getTrailers().get(PeerProof.CHALLENGE_TRAILER);
        assertThat(challenge).as("the refusal carries the new connection's challenge").hasSize(32)
                .isNotEqualTo(original.nonce());
        assertThat(b.stats().identityRefused()).isEqualTo(1);
        assertThat(inbox.messages).extracting(Message::term).containsExactly(1L);
    }

    @Test
    void aCallWithoutProofIsRefusedWithTheConnectionsChallengeAndAWrongTokenCannotAnswerIt() {
        Inbox inbox = new Inbox();
        GrpcTransport b = receiver(inbox);
        ManagedChannel unproven = closing(claimingChannel(b.port(), new AtomicReference<>("n2"), null).build());
        StatusRuntimeException e = refusal(() -> blocking(unproven).vote(vote("n2", 1)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription()).contains("has not proved its node id");
        byte[] nonce = e.getTrailers().get(PeerProof.CHALLENGE_TRAILER);
        assertThat(nonce).hasSize(32);
        assertThat(b.stats().identityRefused()).as("a call that has not tried yet is not an identity refusal").isZero();

        // Answered with the right nonce but another key: refused. (A client that has the token but answers with the
        // key of another cluster is the same case.)
        byte[] forged = new PeerProof("another-token-0123456789", TransportConfig.DEFAULT_CLUSTER_ID)
                .compute("n2", nonce);
        Metadata trailers = refusal(() -> blocking(unproven).withInterceptors(
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(header(forged))).vote(vote("n2", 2)))
                .getTrailers();
        assertThat(trailers.get(PeerProof.CHALLENGE_TRAILER)).isEqualTo(nonce);
        assertThat(b.stats().identityRefused()).isEqualTo(1);

        // The right answer on the same connection is admitted, and binds it.
        byte[] right = new PeerProof(TransportTestSupport.TOKEN, TransportConfig.DEFAULT_CLUSTER_ID).compute("n2",
                nonce);
        blocking(unproven).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(header(right)))
                .vote(vote("n2", 3));
        blocking(unproven).vote(vote("n2", 4)); // bound: no proof needed any more on this connection
        assertThat(inbox.messages).extracting(Message::term).containsExactly(3L, 4L);
    }

    private static Metadata header(byte[] proof) {
        Metadata m = new Metadata();
        m.put(PeerProof.PROOF_HEADER, proof);
        return m;
    }

    @Test
    void membersProveThemselvesWithoutRefusalsAndAfterAPeerRestarts() {
        Inbox ia = new Inbox();
        Inbox ib = new Inbox();
        GrpcTransport a = new GrpcTransport(config("a").build());
        toClose.add(a);
        a.start(ia, null);
        GrpcTransport b = new GrpcTransport(config("b").build());
        toClose.add(b);
        b.start(ib, null);
        a.updatePeers(addresses(a, b));
        b.updatePeers(addresses(a, b));
        a.send(Message.heartbeat("a", "b", 1, 0, 0, 0, false));
        a.send(Message.voteRequest(MessageType.PRE_VOTE, "a", "b", 2, 0, 0, 0, 0));
        b.send(Message.heartbeat("b", "a", 3, 0, 0, 0, false));
        TransportTestSupport.repeatUntil("a reaches b", () -> a.send(Message.heartbeat("a", "b", 4, 0, 0, 0, false)),
                () -> ib.has(m -> m.term() == 4));
        await("b reaches a", () -> ia.has(m -> m.term() == 3));
        assertThat(a.stats().identityRefused() + b.stats().identityRefused()).isZero();

        // b restarts on the same port: a's new connection answers the new challenge.
        int port = b.port();
        b.close();
        GrpcTransport b2 = new GrpcTransport(config("b").bind("127.0.0.1", port).build());
        toClose.add(b2);
        Inbox ib2 = new Inbox();
        b2.start(ib2, null);
        b2.updatePeers(addresses(a, b2));
        TransportTestSupport.repeatUntil("a reaches the restarted b",
                () -> a.send(Message.heartbeat("a", "b", 5, 0, 0, 0, false)), () -> ib2.has(m -> m.term() == 5));
        assertThat(b2.stats().identityRefused()).isZero();
    }
}
