package io.raftx.volatilenode.wire;

/**
 * What a payload on the volatile channel carries; its first byte. Each body starts with its own format version.
 */
public enum FrameKind {
    /** A {@link io.raftx.volatiles.VolatileMessage} between volatile cores ({@link VolatileCodec}). */
    CORE(1),
    /** A client request a follower forwards to the leader ({@link ForwardedRequest}). */
    REQUEST(2),
    /** The leader's answer to a forwarded request ({@link ForwardedReply}). */
    REPLY(3),
    /** One piece of a frame too large for one transport message ({@link FrameChunker}). */
    CHUNK(4);

    private final int code;

    FrameKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** Prefixes {@code body} with this kind. */
    public byte[] wrap(byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) code;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** The kind of a payload received on the channel. */
    public static FrameKind of(byte[] payload) {
        if (payload.length == 0) {
            throw new MalformedFrameException("empty frame on the volatile channel");
        }
        int c = payload[0] & 0xFF;
        for (FrameKind k : values()) {
            if (k.code == c) {
                return k;
            }
        }
        throw new MalformedFrameException("unknown frame kind " + c + " on the volatile channel");
    }

    /** The payload without its kind byte. */
    public static byte[] body(byte[] payload) {
        byte[] out = new byte[payload.length - 1];
        System.arraycopy(payload, 1, out, 0, out.length);
        return out;
    }
}
