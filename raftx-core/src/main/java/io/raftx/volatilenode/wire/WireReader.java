package io.raftx.volatilenode.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link WireWriter} wrote, checking every bound against the bytes actually present so that a corrupt or
 * hostile frame fails with a {@link MalformedFrameException} naming the field and offset, never with a huge
 * allocation or a silent misread.
 */
final class WireReader {

    private final byte[] buf;
    private final String what;
    private int pos;

    WireReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    int u8(String field) {
        need(1, field);
        return buf[pos++] & 0xFF;
    }

    boolean bool(String field) {
        int b = u8(field);
        if (b > 1) {
            throw malformed(field, "boolean byte " + b + " is neither 0 nor 1", pos - 1);
        }
        return b == 1;
    }

    long varLong(String field) {
        int start = pos;
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1, field);
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    throw malformed(field, "value exceeds the non-negative long range", start);
                }
                return v;
            }
        }
        throw malformed(field, "varint longer than 10 bytes", start);
    }

    long signedVarLong(String field) {
        int start = pos;
        long z = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1, field);
            byte b = buf[pos++];
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw malformed(field, "varint longer than 10 bytes", start);
    }

    /** A count of following elements, each at least {@code minElementBytes} long: bounded by the bytes left. */
    int count(String field, int minElementBytes) {
        int start = pos;
        long n = varLong(field);
        if (n > remaining() / Math.max(1, minElementBytes)) {
            throw malformed(field, "count " + n + " cannot fit in the " + remaining() + " bytes left", start);
        }
        return (int) n;
    }

    /** An int field with an inclusive range. */
    int intInRange(String field, long min, long max) {
        int start = pos;
        long v = varLong(field);
        if (v < min || v > max) {
            throw malformed(field, "value " + v + " outside [" + min + ", " + max + "]", start);
        }
        return (int) v;
    }

    byte[] bytes(String field) {
        int start = pos;
        long n = varLong(field);
        if (n > remaining()) {
            throw malformed(field, "length " + n + " exceeds the " + remaining() + " bytes left", start);
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos += out.length;
        return out;
    }

    String string(String field) {
        int start = pos;
        byte[] b = bytes(field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(field, "not valid UTF-8", start);
        }
    }

    String optionalString(String field) {
        return bool(field + " present") ? string(field) : null;
    }

    /** The rest of the frame, as is. */
    byte[] rest() {
        byte[] out = new byte[remaining()];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos = buf.length;
        return out;
    }

    int remaining() {
        return buf.length - pos;
    }

    int position() {
        return pos;
    }

    void expectEnd() {
        if (pos != buf.length) {
            throw malformed("end", (buf.length - pos) + " unexpected trailing bytes", pos);
        }
    }

    MalformedFrameException malformed(String field, String problem, int at) {
        return new MalformedFrameException("malformed " + what + " at byte " + at + " (" + field + "): " + problem);
    }

    private void need(int n, String field) {
        if (remaining() < n) {
            throw malformed(field, "frame ends after " + buf.length + " bytes", pos);
        }
    }
}
