package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.Raft;
import io.raftx.raft.RaftConfig;
import io.raftx.raft.RestoredState;
import io.raftx.transport.ForwardHandler;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.MessageHandler;
import io.raftx.transport.PeerReachability;
import io.raftx.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link PeerReports}: a pre-vote against the leader this node follows makes it check that leader for itself. */
class PeerReportsTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");

    /** A transport that records what it was asked to probe. */
    private static final class ProbingTransport implements Transport, PeerReachability {
        final List<String> probed = new ArrayList<>();
        Consumer<String> down;

        @Override
        public void onPeerUnreachable(Consumer<String> listener) {
        }

        @Override
        public void onPeerDown(Consumer<String> listener) {
            down = listener;
        }

        @Override
        public void probe(String peer) {
            probed.add(peer);
        }

        @Override
        public void start(MessageHandler handler, ForwardHandler forwardHandler) {
        }

        @Override
        public CompletableFuture<ForwardResult> forward(String to, byte[] command, Duration timeout) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not in this test"));
        }

        @Override
        public void send(Message message) {
        }

        @Override
        public void updatePeers(Map<String, String> idToAddress) {
        }

        @Override
        public void close() {
        }
    }

    private static Message preVoteFrom(String candidate) {
        return Message.voteRequest(MessageType.PRE_VOTE, candidate, "n2", 2, 0, 0, 0, 0);
    }

    private static List<Message> preVoteAnswers(Raft raft) {
        if (!raft.hasReady()) {
            return List.of();
        }
        var ready = raft.ready();
        raft.advance(ready);
        List<Message> all = new ArrayList<>(ready.eagerMessages());
        all.addAll(ready.messages());
        return all.stream().filter(m -> m.type() == MessageType.PRE_VOTE_RESPONSE).toList();
    }

    @Test
    void aPreVoteWhileFollowingALeaderProbesThatLeaderAndARefusalAnswersTheHeldPreVote() throws Exception {
        Raft raft = new Raft(RaftConfig.of("n2", IDS), RestoredState.EMPTY, new Random(1));
        ProbingTransport transport = new ProbingTransport();
        LoopInbox inbox = new LoopInbox("n2");
        inbox.open();
        PeerReports reports = PeerReports.wire(transport, raft, inbox);

        reports.preVoteStepped(preVoteFrom("n3"));
        assertThat(transport.probed).as("no leader known yet: nothing to check").isEmpty();

        raft.step(Message.heartbeat("n1", "n2", 1, 0, 0, 0, true)); // a leader without lease reads
        assertThat(raft.leaderId()).isEqualTo("n1");
        reports.preVoteStepped(preVoteFrom("n1"));
        assertThat(transport.probed).as("the leader itself asking").isEmpty();
        raft.step(preVoteFrom("n3")); // held: n2 still keeps its promise to n1
        assertThat(preVoteAnswers(raft)).isEmpty();
        reports.preVoteStepped(preVoteFrom("n3"));
        assertThat(transport.probed).containsExactly("n1");

        transport.down.accept("n1"); // the probe was refused: the report reaches the core through the loop's inbox
        List<Runnable> queued = new ArrayList<>();
        assertThat(inbox.takeInto(queued)).isTrue();
        queued.forEach(Runnable::run);
        assertThat(preVoteAnswers(raft)).as("the held pre-vote, granted once the promise ended")
                .singleElement().satisfies(m -> assertThat(m.reject()).isFalse());
    }
}
