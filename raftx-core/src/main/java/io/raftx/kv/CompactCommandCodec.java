package io.raftx.kv;

/** The compact command: the revision below which history is dropped (format in {@link KvCodec}). */
final class CompactCommandCodec {

    private CompactCommandCodec() {
    }

    static byte[] encode(long revision) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(KvWire.KIND_COMPACT);
            out.writeLong(revision);
        });
    }

    static boolean matches(byte[] bytes) {
        return KvWire.isKind(bytes, KvWire.KIND_COMPACT);
    }

    static long decode(byte[] bytes) {
        KvReader r = new KvReader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            r.u8(); // kind, checked by matches
            return r.revision();
        });
    }
}
