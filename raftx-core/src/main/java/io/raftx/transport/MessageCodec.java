package io.raftx.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.transport.proto.PeerEnvelope;
import io.raftx.transport.proto.RaftMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts between {@link Message} and its wire form {@link RaftMessage}, validating both directions so that a
 * malformed message is rejected with a descriptive {@link InvalidMessageException} instead of failing later in the
 * core (or with a NullPointerException).
 *
 * <p>Rules: a known type; non-empty {@code from}/{@code to} of at most {@value #MAX_NODE_ID_LENGTH} characters;
 * term, index, logTerm, commit, hintTerm, hintIndex and context not negative; rank {@code >= -1}; entries only on
 * APPEND (each with a known type, term {@code >= 1}, and indexes consecutive from {@code index + 1}) and exactly one
 * on SNAPSHOT (at the snapshot's index).
 */
public final class MessageCodec {

    public static final int MAX_NODE_ID_LENGTH = 256;

    private MessageCodec() {
    }

    /** Wraps a message for the wire. Entry data is not copied (entries are immutable by contract). */
    public static PeerEnvelope toEnvelope(Message message) {
        return PeerEnvelope.newBuilder().setRaft(toProto(message)).build();
    }

    /** Extracts and validates the Raft message of an envelope. */
    public static Message fromEnvelope(PeerEnvelope envelope) {
        if (envelope.getPayloadCase() != PeerEnvelope.PayloadCase.RAFT) {
            throw new InvalidMessageException("envelope carries no Raft message (payload " + envelope.getPayloadCase()
                    + "); this node understands only 'raft' payloads");
        }
        return fromProto(envelope.getRaft());
    }

    public static RaftMessage toProto(Message m) {
        validate(m);
        RaftMessage.Builder b = RaftMessage.newBuilder()
                .setType(toProto(m.type()))
                .setFrom(m.from())
                .setTo(m.to())
                .setTerm(m.term())
                .setIndex(m.index())
                .setLogTerm(m.logTerm())
                .setCommit(m.commit())
                .setReject(m.reject())
                .setHintTerm(m.hintTerm())
                .setHintIndex(m.hintIndex())
                .setRank(m.rank())
                .setContext(m.context())
                .setNoLease(m.noLease());
        for (Entry e : m.entries()) {
            b.addEntries(io.raftx.transport.proto.Entry.newBuilder()
                    .setTerm(e.term())
                    .setIndex(e.index())
                    .setType(toProto(e.type()))
                    .setData(e.data().length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(e.data())));
        }
        return b.build();
    }

    public static Message fromProto(RaftMessage p) {
        MessageType type = fromProto(p.getType(), p.getTypeValue());
        String from = p.getFrom();
        String to = p.getTo();
        checkNodeId("from", from);
        checkNodeId("to", to);
        checkNotNegative(type, "term", p.getTerm());
        checkNotNegative(type, "index", p.getIndex());
        checkNotNegative(type, "log_term", p.getLogTerm());
        checkNotNegative(type, "commit", p.getCommit());
        checkNotNegative(type, "hint_term", p.getHintTerm());
        checkNotNegative(type, "hint_index", p.getHintIndex());
        checkRank(type, p.getRank());
        checkNotNegative(type, "context", p.getContext());
        List<Entry> entries;
        if (p.getEntriesCount() == 0) {
            entries = List.of();
        } else {
            checkEntriesAllowed(type, from, p.getEntriesCount());
            entries = new ArrayList<>(p.getEntriesCount());
            for (int i = 0; i < p.getEntriesCount(); i++) {
                io.raftx.transport.proto.Entry pe = p.getEntries(i);
                EntryType et = fromProto(pe.getType(), pe.getTypeValue(), i);
                checkEntry(type, i, pe.getTerm(), pe.getIndex(), p.getIndex());
                entries.add(new Entry(pe.getTerm(), pe.getIndex(), et, pe.getData().toByteArray()));
            }
            entries = List.copyOf(entries);
        }
        return new Message(type, from, to, p.getTerm(), p.getIndex(), p.getLogTerm(), entries, p.getCommit(),
                p.getReject(), p.getHintTerm(), p.getHintIndex(), p.getRank(), p.getContext(), p.getNoLease());
    }

    /** Applies the wire rules to a core message (used before sending, so a core bug is caught at the sender). */
    public static void validate(Message m) {
        if (m == null) {
            throw new InvalidMessageException("message is null");
        }
        checkNodeId("from", m.from());
        checkNodeId("to", m.to());
        checkNotNegative(m.type(), "term", m.term());
        checkNotNegative(m.type(), "index", m.index());
        checkNotNegative(m.type(), "logTerm", m.logTerm());
        checkNotNegative(m.type(), "commit", m.commit());
        checkNotNegative(m.type(), "hintTerm", m.hintTerm());
        checkNotNegative(m.type(), "hintIndex", m.hintIndex());
        checkRank(m.type(), m.rank());
        checkNotNegative(m.type(), "context", m.context());
        if (!m.entries().isEmpty()) {
            checkEntriesAllowed(m.type(), m.from(), m.entries().size());
            for (int i = 0; i < m.entries().size(); i++) {
                Entry e = m.entries().get(i);
                if (e == null) {
                    throw new InvalidMessageException("entry #" + i + " is null");
                }
                checkEntry(m.type(), i, e.term(), e.index(), m.index());
            }
        }
    }

    private static void checkNodeId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidMessageException("'" + field + "' node id is missing");
        }
        if (id.length() > MAX_NODE_ID_LENGTH) {
            throw new InvalidMessageException("'" + field + "' node id is " + id.length()
                    + " characters long; at most " + MAX_NODE_ID_LENGTH + " allowed");
        }
    }

    private static void checkNotNegative(MessageType type, String field, long value) {
        if (value < 0) {
            throw new InvalidMessageException(type + " has negative " + field + " " + value);
        }
    }

    private static void checkRank(MessageType type, int rank) {
        if (rank < Message.NO_RANK) {
            throw new InvalidMessageException(type + " has rank " + rank + "; must be >= " + Message.NO_RANK);
        }
    }

    /** APPEND carries entries; SNAPSHOT carries exactly one (the membership as of the snapshot). */
    private static void checkEntriesAllowed(MessageType type, String from, int count) {
        if (type == MessageType.SNAPSHOT ? count != 1 : type != MessageType.APPEND) {
            throw new InvalidMessageException(type + " from '" + from + "' carries " + count + " entries; only APPEND may carry entries"
                    + " and SNAPSHOT exactly one");
        }
    }

    private static void checkEntry(MessageType type, int i, long term, long index, long prevIndex) {
        if (term < 1) {
            throw new InvalidMessageException("entry #" + i + " has term " + term + "; entry terms start at 1");
        }
        long expected = type == MessageType.SNAPSHOT ? prevIndex : prevIndex + 1 + i;
        if (index != expected) {
            throw new InvalidMessageException("entry #" + i + " has index " + index + "; expected " + expected
                    + " (entries must follow the preceding index " + prevIndex + " without gaps)");
        }
    }

    static io.raftx.transport.proto.MessageType toProto(MessageType type) {
        return switch (type) {
            case APPEND -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_APPEND;
            case APPEND_RESPONSE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_APPEND_RESPONSE;
            case HEARTBEAT -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_HEARTBEAT;
            case HEARTBEAT_RESPONSE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_HEARTBEAT_RESPONSE;
            case PRE_VOTE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_PRE_VOTE;
            case PRE_VOTE_RESPONSE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_PRE_VOTE_RESPONSE;
            case VOTE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_VOTE;
            case VOTE_RESPONSE -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_VOTE_RESPONSE;
            case TIMEOUT_NOW -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_TIMEOUT_NOW;
            case SNAPSHOT -> io.raftx.transport.proto.MessageType.MESSAGE_TYPE_SNAPSHOT;
        };
    }

    private static MessageType fromProto(io.raftx.transport.proto.MessageType type, int wireValue) {
        return switch (type) {
            case MESSAGE_TYPE_APPEND -> MessageType.APPEND;
            case MESSAGE_TYPE_APPEND_RESPONSE -> MessageType.APPEND_RESPONSE;
            case MESSAGE_TYPE_HEARTBEAT -> MessageType.HEARTBEAT;
            case MESSAGE_TYPE_HEARTBEAT_RESPONSE -> MessageType.HEARTBEAT_RESPONSE;
            case MESSAGE_TYPE_PRE_VOTE -> MessageType.PRE_VOTE;
            case MESSAGE_TYPE_PRE_VOTE_RESPONSE -> MessageType.PRE_VOTE_RESPONSE;
            case MESSAGE_TYPE_VOTE -> MessageType.VOTE;
            case MESSAGE_TYPE_VOTE_RESPONSE -> MessageType.VOTE_RESPONSE;
            case MESSAGE_TYPE_TIMEOUT_NOW -> MessageType.TIMEOUT_NOW;
            case MESSAGE_TYPE_SNAPSHOT -> MessageType.SNAPSHOT;
            case MESSAGE_TYPE_UNSPECIFIED -> throw new InvalidMessageException("message type is missing (0)");
            case UNRECOGNIZED -> throw new InvalidMessageException("unknown message type " + wireValue
                    + " (a newer peer version?)");
        };
    }

    static io.raftx.transport.proto.EntryType toProto(EntryType type) {
        return switch (type) {
            case NORMAL -> io.raftx.transport.proto.EntryType.ENTRY_TYPE_NORMAL;
            case NOOP -> io.raftx.transport.proto.EntryType.ENTRY_TYPE_NOOP;
            case CONFIG -> io.raftx.transport.proto.EntryType.ENTRY_TYPE_CONFIG;
        };
    }

    private static EntryType fromProto(io.raftx.transport.proto.EntryType type, int wireValue, int i) {
        return switch (type) {
            case ENTRY_TYPE_NORMAL -> EntryType.NORMAL;
            case ENTRY_TYPE_NOOP -> EntryType.NOOP;
            case ENTRY_TYPE_CONFIG -> EntryType.CONFIG;
            case ENTRY_TYPE_UNSPECIFIED -> throw new InvalidMessageException("entry #" + i + " type is missing (0)");
            case UNRECOGNIZED -> throw new InvalidMessageException("entry #" + i + " has unknown type " + wireValue);
        };
    }
}
