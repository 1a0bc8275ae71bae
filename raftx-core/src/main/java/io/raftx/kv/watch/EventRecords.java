package io.raftx.kv.watch;

import java.nio.ByteBuffer;

/**
 * The byte layout of one {@link WatchEvent} in the watch history: flags (type, volatile, which arrays are present),
 * revision, the three metadata longs, then key, previous value and value, each as a length and its bytes.
 */
final class EventRecords {

    private static final int DELETE = 1;
    private static final int VOLATILE = 2;
    private static final int HAS_PREVIOUS = 4;
    private static final int HAS_VALUE = 8;
    /** Where the key's length is: after the flags, the revision and the three metadata longs. */
    private static final int KEY_AT = 1 + 4 * Long.BYTES;
    private static final int FIXED = KEY_AT + Integer.BYTES;

    private EventRecords() {
    }

    static int size(WatchEvent e) {
        return FIXED + e.keyUnsafe().length + optionalSize(e.previousValueUnsafe()) + optionalSize(e.valueUnsafe());
    }

    /** Writes {@code e} at {@code offset} of {@code block}, which has {@link #size} bytes free there. */
    static void write(WatchEvent e, byte[] block, int offset) {
        ByteBuffer out = ByteBuffer.wrap(block, offset, block.length - offset);
        byte[] previous = e.previousValueUnsafe();
        byte[] value = e.valueUnsafe();
        out.put((byte) ((e.type() == WatchEvent.Type.DELETE ? DELETE : 0) | (e.volatileKey() ? VOLATILE : 0)
                | (previous != null ? HAS_PREVIOUS : 0) | (value != null ? HAS_VALUE : 0)));
        out.putLong(e.revision());
        out.putLong(e.meta().createRevision()).putLong(e.meta().version()).putLong(e.meta().previousModRevision());
        out.putInt(e.keyUnsafe().length).put(e.keyUnsafe());
        if (previous != null) {
            out.putInt(previous.length).put(previous);
        }
        if (value != null) {
            out.putInt(value.length).put(value);
        }
    }

    static WatchEvent read(byte[] block, int offset) {
        ByteBuffer in = ByteBuffer.wrap(block, offset, block.length - offset);
        int flags = in.get();
        long revision = in.getLong();
        WatchEvent.KeyMeta meta = new WatchEvent.KeyMeta(in.getLong(), in.getLong(), in.getLong());
        byte[] key = bytes(in);
        byte[] previous = (flags & HAS_PREVIOUS) != 0 ? bytes(in) : null;
        byte[] value = (flags & HAS_VALUE) != 0 ? bytes(in) : null;
        return new WatchEvent((flags & DELETE) != 0 ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT, key, previous,
                value, revision, (flags & VOLATILE) != 0,
                meta.equals(WatchEvent.KeyMeta.UNKNOWN) ? WatchEvent.KeyMeta.UNKNOWN : meta);
    }

    /** The key of the record at {@code offset}, for matching without decoding the values. */
    static byte[] key(byte[] block, int offset) {
        return bytes(ByteBuffer.wrap(block, offset + KEY_AT, block.length - offset - KEY_AT));
    }

    private static int optionalSize(byte[] b) {
        return b == null ? 0 : Integer.BYTES + b.length;
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return b;
    }
}
