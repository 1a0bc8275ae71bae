package io.raftx.volatiles;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a volatile key holds, immutable: either a plain value or a non-empty set of members. {@link #version()} is the
 * index of the op that last changed the key; each member also remembers the index of the op that last added it
 * (the version its TTL is tied to).
 */
public final class VolatileValue {

    private final byte[] bytes;
    private final SortedMap<String, Long> memberVersions;
    private final long version;

    private VolatileValue(byte[] bytes, SortedMap<String, Long> memberVersions, long version) {
        this.bytes = bytes;
        this.memberVersions = memberVersions;
        this.version = version;
    }

    public static VolatileValue plain(byte[] bytes, long version) {
        return new VolatileValue(Objects.requireNonNull(bytes, "bytes").clone(), null, version);
    }

    /** A set value; {@code memberVersions} maps each member to the index of the op that added it. */
    public static VolatileValue set(Map<String, Long> memberVersions, long version) {
        if (memberVersions.isEmpty()) {
            throw new IllegalArgumentException("a set value has at least one member");
        }
        return new VolatileValue(null, Collections.unmodifiableSortedMap(new TreeMap<>(memberVersions)), version);
    }

    public boolean isSet() {
        return memberVersions != null;
    }

    /** The plain value (a copy), or null for a set. */
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    /** The members in order, or an empty set for a plain value. */
    public Set<String> members() {
        return memberVersions == null ? Set.of() : memberVersions.keySet();
    }

    /** Members with the index of the op that last added each; empty for a plain value. */
    public SortedMap<String, Long> memberVersions() {
        return memberVersions == null ? Collections.emptySortedMap() : memberVersions;
    }

    /** The version (add index) of {@code member}, or -1 if this is not a set holding it. */
    public long memberVersion(String member) {
        Long v = memberVersions == null ? null : memberVersions.get(member);
        return v == null ? -1 : v;
    }

    public long version() {
        return version;
    }

    /** This set (or a fresh one, if this is a plain value) with {@code member} added at {@code index}. */
    VolatileValue withMember(String member, long index) {
        TreeMap<String, Long> next = memberVersions == null ? new TreeMap<>() : new TreeMap<>(memberVersions);
        next.put(member, index);
        return new VolatileValue(null, Collections.unmodifiableSortedMap(next), index);
    }

    /** This set without {@code member}, changed at {@code index}; null if that removed the last member. */
    VolatileValue withoutMember(String member, long index) {
        TreeMap<String, Long> next = new TreeMap<>(memberVersions);
        next.remove(member);
        return next.isEmpty() ? null : new VolatileValue(null, Collections.unmodifiableSortedMap(next), index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolatileValue other && version == other.version && Arrays.equals(bytes, other.bytes)
                && Objects.equals(memberVersions, other.memberVersions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes), memberVersions, version);
    }

    @Override
    public String toString() {
        return (isSet() ? memberVersions.toString() : Arrays.toString(bytes)) + "@v" + version;
    }
}
