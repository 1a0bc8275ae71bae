package io.raftx.transport;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftMessage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    private static final List<Entry> ENTRIES = List.of(
            new Entry(3, 11, EntryType.NORMAL, new byte[]{1, 2, 3, (byte) 0xff}),
            Entry.noop(4, 12),
            new Entry(4, 13, EntryType.NORMAL, new byte[0]));

    @Test
    void everyMessageTypeSurvivesTheWire() throws Exception {
        List<Message> all = List.of(
                Message.append("n1", "n2", 4, 10, 3, ENTRIES, 9, 2, false),
                Message.append("n1", "n2", 4, 0, 0, List.of(), 0, Message.NO_RANK, false),
                Message.appendAccepted("n2", "n1", 4, 13),
                Message.appendRejected("n2", "n1", 4, 12, 2, 8),
                Message.heartbeat("n1", "n2", 4, 13, 0, 0, true),
                Message.heartbeatResponse("n2", "n1", 4, 0),
                Message.voteRequest(MessageType.PRE_VOTE, "n1", "n2", 5, 13, 4, 1, 0),
                Message.voteResponse(MessageType.PRE_VOTE_RESPONSE, "n2", "n1", 5, true),
                Message.voteRequest(MessageType.VOTE, "n1", "n2", 5, 13, 4, Message.NO_RANK, 0),
                Message.voteResponse(MessageType.VOTE_RESPONSE, "n2", "n1", 5, false),
                new Message(MessageType.APPEND, "a", "b", Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE, List.of(),
                        Long.MAX_VALUE, false, 0, 0, Integer.MAX_VALUE, Long.MAX_VALUE, true),
                Message.timeoutNow("n1", "n2", 3),
                Message.snapshot("n1", "n2", 3, new io.raftx.raft.SnapshotMeta(10, 2,
                        new io.raftx.raft.Membership(java.util.Set.of("n1", "n2"), java.util.Set.of(), java.util.Map.of("n1", "h:1")))));
        assertThat(Arrays.stream(MessageType.values()))
                .allMatch(t -> all.stream().anyMatch(m -> m.type() == t));
        for (Message m : all) {
            byte[] wire = MessageCodec.toEnvelope(m).toByteArray();
            Message back = MessageCodec.fromEnvelope(PeerEnvelope.parseFrom(wire));
            assertThat(back).isEqualTo(m);
        }
    }

    @Test
    void decodedEntryDataIsACopy() throws Exception {
        byte[] data = {9, 9, 9};
        Message m = Message.append("a", "b", 1, 0, 0, List.of(new Entry(1, 1, EntryType.NORMAL, data)), 0, 0, false);
        Message back = MessageCodec.fromEnvelope(PeerEnvelope.parseFrom(MessageCodec.toEnvelope(m).toByteArray()));
        assertThat(back.entries().get(0).data()).isEqualTo(data).isNotSameAs(data);
    }

    @Test
    void malformedWireMessagesAreRejectedWithAReason() {
        RaftMessage ok = MessageCodec.toProto(Message.append("a", "b", 4, 10, 3, ENTRIES.subList(0, 1), 9, 2, false));
        assertThat(MessageCodec.fromProto(ok).entries()).hasSize(1);

        assertInvalid(RaftMessage.getDefaultInstance(), "message type is missing");
        assertInvalid(ok.toBuilder().setTypeValue(77).build(), "unknown message type 77");
        assertInvalid(ok.toBuilder().clearFrom().build(), "'from' node id is missing");
        assertInvalid(ok.toBuilder().clearTo().build(), "'to' node id is missing");
        assertInvalid(ok.toBuilder().setFrom("x".repeat(300)).build(), "at most 256");
        assertInvalid(ok.toBuilder().setTerm(-1).build(), "APPEND has negative term -1");
        assertInvalid(ok.toBuilder().setIndex(-2).build(), "negative index -2");
        assertInvalid(ok.toBuilder().setLogTerm(-3).build(), "negative log_term -3");
        assertInvalid(ok.toBuilder().setCommit(-4).build(), "negative commit -4");
        assertInvalid(ok.toBuilder().setHintTerm(-5).build(), "negative hint_term -5");
        assertInvalid(ok.toBuilder().setHintIndex(-6).build(), "negative hint_index -6");
        assertInvalid(ok.toBuilder().setRank(-2).build(), "rank -2");
        assertInvalid(ok.toBuilder().setEntries(0, ok.getEntries(0).toBuilder().setTerm(0)).build(),
                "entry #0 has term 0");
        assertInvalid(ok.toBuilder().setEntries(0, ok.getEntries(0).toBuilder().setIndex(12)).build(),
                "entry #0 has index 12; expected 11");
        assertInvalid(ok.toBuilder().setEntries(0, ok.getEntries(0).toBuilder().setTypeValue(9)).build(),
                "entry #0 has unknown type 9");
        assertInvalid(ok.toBuilder().setEntries(0, ok.getEntries(0).toBuilder().clearType()).build(),
                "entry #0 type is missing");
        assertInvalid(ok.toBuilder().setType(io.raftx.transport.proto.MessageType.MESSAGE_TYPE_HEARTBEAT).build(),
                "HEARTBEAT from 'a' carries 1 entries");
        assertThatThrownBy(() -> MessageCodec.fromEnvelope(PeerEnvelope.getDefaultInstance()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("PAYLOAD_NOT_SET");
    }

    @Test
    void invalidCoreMessagesAreRejectedBeforeSending() {
        assertThatThrownBy(() -> MessageCodec.toProto(
                new Message(MessageType.VOTE, "a", "b", -1, 0, 0, List.of(), 0, false, 0, 0, 0, 0, false)))
                .isInstanceOf(InvalidMessageException.class).hasMessage("VOTE has negative term -1");
        assertThatThrownBy(() -> MessageCodec.toProto(Message.heartbeat("", "b", 1, 0, 0, 0, false)))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'from' node id is missing");
        assertThatThrownBy(() -> MessageCodec.toProto(new Message(MessageType.HEARTBEAT, "a", "b", 1, 0, 0,
                List.of(Entry.noop(1, 1)), 0, false, 0, 0, 0, 0, false)))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("only APPEND may carry entries");
        assertThatThrownBy(() -> MessageCodec.validate(null)).isInstanceOf(InvalidMessageException.class);
    }

    private static void assertInvalid(RaftMessage m, String reason) {
        assertThatThrownBy(() -> MessageCodec.fromProto(m))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(reason);
    }
}
