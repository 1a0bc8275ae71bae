package io.raftx.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What the runtime puts in a log entry: a request id (this client's id and sequence number, so a retried request is
 * applied at most once), a kind, and the application's payload. Layout: version(1) kind(1) client(8) seq(8) payload.
 */
public record Command(Kind kind, long clientId, long sequence, byte[] payload) {

    private static final byte VERSION = 1;
    private static final int HEADER = 18;
    private static final Kind[] KINDS = Kind.values();
    /** Reads a long as {@link #encode}'s ByteBuffer wrote it, straight from the array. */
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    public enum Kind {
        /** Apply {@code payload} to the state machine. */
        APPLY,
        /** Not logged: asks the leader for a read index confirmed by a heartbeat round (ReadIndex). */
        READ_INDEX,
        /** Not logged: asks the leader for a read index under its lease, falling back to READ_INDEX. */
        LEASE_READ,
        /** A membership change (payload: see MembershipCommands); logged as a CONFIG entry. */
        CONFIG_CHANGE;

        boolean isRead() {
            return this == READ_INDEX || this == LEASE_READ;
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + payload.length).put(VERSION).put((byte) kind.ordinal())
                .putLong(clientId).putLong(sequence).put(payload).array();
    }

    public static Command decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != VERSION || bytes[1] < 0 || bytes[1] >= KINDS.length) {
            throw new IllegalArgumentException("not a RaftX command: " + bytes.length + " bytes, version "
                    + (bytes.length > 0 ? bytes[0] : -1) + " (expected version " + VERSION + ")");
        }
        // decoded for every applied entry on every node: no buffer view, no enum array copy
        return new Command(KINDS[bytes[1]], (long) BIG_ENDIAN_LONG.get(bytes, 2), (long) BIG_ENDIAN_LONG.get(bytes, 10),
                Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    public RequestId requestId() {
        return new RequestId(clientId, sequence);
    }

    public record RequestId(long clientId, long sequence) { }
}
