package io.raftx.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What every KV command and response shares on the wire (see {@link KvCodec} for the format): the version byte, the
 * command kinds (one table, so two families can never claim the same code) and the length-prefixed writing helpers.
 */
final class KvWire {

    static final byte VERSION = 1;
    static final byte KIND_TXN = 1;
    static final byte KIND_LEASE = 2;
    static final byte KIND_COMPACT = 3;

    private KvWire() {
    }

    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: memory stream
        }
        return bytes.toByteArray();
    }

    /** Whether {@code bytes} starts like a current-version command of {@code kind}. */
    static boolean isKind(byte[] bytes, byte kind) {
        return bytes.length >= 2 && bytes[0] == VERSION && bytes[1] == kind;
    }

    static void writeEnd(DataOutputStream out, byte[] end) throws IOException {
        out.writeBoolean(end != null);
        if (end != null) {
            writeBytes(out, end);
        }
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
