package io.raftx.coordination;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Who holds a lock, as stored in the lock's volatile key: the owner's name and a nonce unique to the grant. The
 * nonce lets a holder recognise its own grant (after a write whose outcome was unknown), and tells two grants to
 * the same owner apart. Stored as UTF-8 {@code nonce + ":" + owner}.
 */
public record LockHolder(String nonce, String owner) {

    public LockHolder {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(owner, "owner");
        if (nonce.isEmpty() || nonce.contains(":")) {
            throw new IllegalArgumentException("nonce must be non-empty and contain no ':'");
        }
    }

    byte[] encode() {
        return (nonce + ":" + owner).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a lock key's value; null if it is not one (some other writer used the key). */
    public static LockHolder parse(byte[] value) {
        if (value == null) {
            return null;
        }
        String s = new String(value, StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        return colon < 1 ? null : new LockHolder(s.substring(0, colon), s.substring(colon + 1));
    }
}
