package io.raftx.kv;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/** Bounds-checked reading; every failure becomes a {@link MalformedCommandException}. */
final class KvReader {
    private final ByteBuffer buf;
    private final String what;

    KvReader(byte[] bytes, String what) {
        this.buf = ByteBuffer.wrap(bytes);
        this.what = what;
    }

    <T> T decode(Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (BufferUnderflowException e) {
            throw new MalformedCommandException("truncated KV " + what + " (" + buf.capacity() + " bytes)");
        }
        if (buf.hasRemaining()) {
            throw new MalformedCommandException(buf.remaining() + " unexpected trailing bytes after the KV "
                    + what);
        }
        return result;
    }

    void expectVersion() {
        if (!buf.hasRemaining()) {
            throw new MalformedCommandException("empty KV " + what);
        }
        byte v = buf.get();
        if (v != KvWire.VERSION) {
            throw new MalformedCommandException("unsupported KV " + what + " version " + v + " (this build reads "
                    + KvWire.VERSION + ")");
        }
    }

    byte u8() {
        return buf.get();
    }

    boolean bool() {
        byte b = buf.get();
        if (b != 0 && b != 1) {
            throw new MalformedCommandException("invalid boolean " + b + " in KV " + what);
        }
        return b == 1;
    }

    long i64() {
        return buf.getLong();
    }

    /** A revision in a command: positive. */
    long revision() {
        long rev = buf.getLong();
        if (rev <= 0) {
            throw new MalformedCommandException("revision " + rev + " in KV " + what + " is not positive");
        }
        return rev;
    }

    /** A list length: each element takes at least one byte, so more than the bytes left is corrupt. */
    int count() {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new MalformedCommandException("invalid count " + n + " in KV " + what);
        }
        return n;
    }

    byte[] bytes() {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new MalformedCommandException("invalid length " + n + " in KV " + what + " ("
                    + buf.remaining() + " bytes left)");
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** A range end: null for "every key from the start on". */
    byte[] end() {
        return bool() ? bytes() : null;
    }

    /** Keys are never empty, whatever the limits of the node that proposed them. */
    byte[] key() {
        byte[] k = bytes();
        if (k.length == 0) {
            throw new MalformedCommandException("empty key in KV " + what);
        }
        return k;
    }
}
