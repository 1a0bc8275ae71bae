package io.raftx.volatilenode.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends primitive fields to a growing byte array: unsigned LEB128 varints for counts and non-negative numbers,
 * zig-zag varints for numbers that may be negative, length-prefixed UTF-8 strings and byte arrays.
 */
final class WireWriter {

    private byte[] buf;
    private int size;

    WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    WireWriter u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    WireWriter bool(boolean b) {
        return u8(b ? 1 : 0);
    }

    /** A number >= 0 (counts, indexes, epochs, ticks). */
    WireWriter varLong(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v + " where a non-negative number is encoded");
        }
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** Any long (incarnations are random, conditions may be -1). */
    WireWriter signedVarLong(long v) {
        ensure(10);
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            buf[size++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[size++] = (byte) z;
        return this;
    }

    WireWriter bytes(byte[] b) {
        varLong(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    WireWriter raw(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, size, length);
        size += length;
        return this;
    }

    WireWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string or null (a presence flag first). */
    WireWriter optionalString(String s) {
        bool(s != null);
        return s == null ? this : string(s);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("encoded frame exceeds 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
