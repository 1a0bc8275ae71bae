package io.raftx.kv;

/** The lease command: grant, revoke or keep-alive one lease (format in {@link KvCodec}). */
final class LeaseCommandCodec {

    private LeaseCommandCodec() {
    }

    static byte[] encode(LeaseCommand c) {
        return KvWire.write(out -> {
            out.writeByte(KvWire.VERSION);
            out.writeByte(KvWire.KIND_LEASE);
            out.writeByte(switch (c.action()) {
                case GRANT -> 1;
                case REVOKE -> 2;
                case KEEP_ALIVE -> 3;
            });
            out.writeLong(c.id());
            out.writeLong(c.ttlSeconds());
        });
    }

    static boolean matches(byte[] bytes) {
        return KvWire.isKind(bytes, KvWire.KIND_LEASE);
    }

    static LeaseCommand decode(byte[] bytes) {
        KvReader r = new KvReader(bytes, "command");
        return r.decode(() -> {
            r.expectVersion();
            r.u8(); // kind, checked by matches
            LeaseCommand.Action action = switch (r.u8()) {
                case 1 -> LeaseCommand.Action.GRANT;
                case 2 -> LeaseCommand.Action.REVOKE;
                case 3 -> LeaseCommand.Action.KEEP_ALIVE;
                default -> throw new MalformedCommandException("unknown lease action");
            };
            long id = r.i64();
            long ttl = r.i64();
            if (id <= 0) {
                throw new MalformedCommandException("lease id " + id + " is not positive");
            }
            return new LeaseCommand(action, id, ttl);
        });
    }
}
