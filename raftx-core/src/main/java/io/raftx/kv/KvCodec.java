package io.raftx.kv;

/**
 * The binary form of KV commands (log entry payloads) and their results. Big-endian, length-prefixed:
 *
 * <pre>
 * command  := version:u8(=1) ( kind:u8(1=TXN) compares ops(then) ops(else)
 *                             | kind:u8(2=LEASE) action:u8(1=GRANT,2=REVOKE,3=KEEP_ALIVE) id:i64 ttlSeconds:i64
 *                             | kind:u8(3=COMPACT) revision:i64 )
 * compares := count:i32 { target:u8 operator:u8 key:bytes [target has RANGE_FLAG: end] (value:bytes | number:i64) }
 * ops      := count:i32 { type:u8(1=PUT,2=DELETE,3=GET,4=DELETE_RANGE,5=RANGE,6=PUT_WITH_LEASE,7=RANGE_AT) key:bytes
 *                         [4,5,7: end] [1,6: value:bytes] [1,2,4,6: returnPrevious:u8] [6: lease:i64] [7: revision:i64] }
 * end      := bounded:u8 [1: end:bytes]          (0: every key from key on)
 * response := version:u8(=1) status:u8 (0=OK: succeeded:u8 revision:i64 count:i32 {opResult} | 1=ERROR: message:bytes
 *                                     | 2=LEASE_NOT_FOUND: id:i64 | 3=LEASE_EXISTS: id:i64
 *                                     | 4=COMPACTED: requested:i64 bound:i64 | 5=FUTURE_REVISION: requested:i64 bound:i64)
 * opResult := type:u8 ( 1..3: [DELETE: deleted:i64] present:u8 [kv]
 *                     | 4: deleted:i64 count:i32 {kv} | 5: count:i32 {kv} )
 * kv       := key:bytes value:bytes create:i64 mod:i64 version:i64
 * bytes    := length:i32 data
 * </pre>
 *
 * Range compares (target code with {@code RANGE_FLAG} 0x80), op types 4 to 7, lease and compact commands and the
 * lease and revision statuses were added after the first release without a version bump: commands without them encode exactly as
 * before, so existing logs read unchanged, but a node of an older build rejects such a command as malformed while
 * newer nodes apply it. Upgrade every node before clients use range deletes, range reads in transactions, range
 * compares or leases.
 *
 * Every request is a transaction: put, delete, putIfAbsent, update and the compare-and-sets are encoded as
 * transactions by {@link KvClient}, so the state machine has one code path. Enum codes are explicit, never
 * ordinals, so reordering an enum cannot change the meaning of entries already in a log. Decoding checks every
 * length against the bytes left, so a corrupt entry fails with {@link MalformedCommandException} instead of a huge
 * allocation.
 *
 * <p>This class is the entry point; each command family has its own codec ({@link TxnCommandCodec},
 * {@link LeaseCommandCodec}, {@link CompactCommandCodec}), responses have {@link KvResponseCodec}, and
 * {@link KvWire} holds the version, the kind codes and the helpers they share.
 */
public final class KvCodec {

    static final byte VERSION = KvWire.VERSION;

    private KvCodec() {
    }

    // ---- commands ----

    public static byte[] encodeTxn(Txn txn) {
        return TxnCommandCodec.encode(txn);
    }

    /** Decodes a command; throws {@link MalformedCommandException} unless it is a well-formed current-version one. */
    public static Txn decodeTxn(byte[] bytes) {
        return TxnCommandCodec.decode(bytes);
    }

    public static byte[] encodeLease(LeaseCommand c) {
        return LeaseCommandCodec.encode(c);
    }

    /** Compacts the history: reads below {@code revision} are refused from then on (etcd's Compact). */
    public static byte[] encodeCompact(long revision) {
        return CompactCommandCodec.encode(revision);
    }

    static boolean isCompactCommand(byte[] bytes) {
        return CompactCommandCodec.matches(bytes);
    }

    static long decodeCompact(byte[] bytes) {
        return CompactCommandCodec.decode(bytes);
    }

    /** Whether {@code bytes} is a lease command (else it is a transaction, or malformed). */
    static boolean isLeaseCommand(byte[] bytes) {
        return LeaseCommandCodec.matches(bytes);
    }

    static LeaseCommand decodeLease(byte[] bytes) {
        return LeaseCommandCodec.decode(bytes);
    }

    // ---- responses ----

    static byte[] encodeLeaseError(LeaseException e) {
        return KvResponseCodec.encodeLeaseError(e);
    }

    static byte[] encodeRevisionError(RevisionException e) {
        return KvResponseCodec.encodeRevisionError(e);
    }

    public static byte[] encodeResult(TxnResult result) {
        return KvResponseCodec.encodeResult(result);
    }

    public static byte[] encodeError(String message) {
        return KvResponseCodec.encodeError(message);
    }

    /**
     * Decodes a response. An error response (the state machine rejected the command; nothing changed) becomes an
     * {@link InvalidRequestException}.
     */
    public static TxnResult decodeResult(byte[] bytes) {
        return KvResponseCodec.decode(bytes);
    }
}
