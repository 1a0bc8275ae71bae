package io.raftx.kv;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

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
        return write(64, body);
    }

    /** Writes {@code body} into a buffer of {@code sizeHint} bytes to start with (it grows if that is too small). */
    static byte[] write(int sizeHint, Body body) {
        Buffer bytes = new Buffer(sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: memory stream
        }
        return bytes.toByteArray();
    }

    /**
     * A byte array output stream without {@link java.io.ByteArrayOutputStream}'s lock: {@link DataOutputStream}
     * writes an int as four single bytes, and every command and result is written on the loop thread, one byte at a
     * time for most fields.
     */
    private static final class Buffer extends OutputStream {

        private byte[] buf;
        private int count;

        Buffer(int size) {
            buf = new byte[Math.max(16, size)];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return count == buf.length ? buf : Arrays.copyOf(buf, count);
        }
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
