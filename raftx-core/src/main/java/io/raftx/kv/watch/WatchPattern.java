package io.raftx.kv.watch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled watch pattern. Keys and patterns are split into segments at dots:
 * <ul>
 *   <li>a literal segment matches itself exactly;</li>
 *   <li>{@code *} matches exactly one non-empty segment: {@code ai.*} matches {@code ai.x}, not {@code ai.x.y}
 *       or {@code ai};</li>
 *   <li>{@code **}, only as the last segment, matches one or more segments (any non-empty rest):
 *       {@code ai.**} matches {@code ai.x} and {@code ai.model.threshold}, not {@code ai}; a bare {@code **}
 *       matches every key.</li>
 * </ul>
 * Matching works on the key's bytes (UTF-8 never puts a '.' byte inside a multi-byte character), so it needs no
 * decoding on the apply path.
 */
public final class WatchPattern {

    private static final byte DOT = '.';
    private static final String STAR = "*";
    private static final String DOUBLE_STAR = "**";

    private final String text;
    /** One entry per segment before a trailing {@code **}; null stands for {@code *}. */
    private final byte[][] segments;
    private final boolean anySuffix;

    private WatchPattern(String text, byte[][] segments, boolean anySuffix) {
        this.text = text;
        this.segments = segments;
        this.anySuffix = anySuffix;
    }

    /** Parses and validates a pattern; throws IllegalArgumentException explaining what is wrong. */
    public static WatchPattern compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("watch pattern must not be empty; use '**' to watch every key");
        }
        String[] parts = pattern.split("\\.", -1);
        List<byte[]> segments = new ArrayList<>();
        boolean anySuffix = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw invalid(pattern, "segment " + (i + 1) + " is empty; segments are separated by single dots"
                        + " and the pattern may not start or end with a dot");
            }
            if (part.equals(DOUBLE_STAR)) {
                if (i != parts.length - 1) {
                    throw invalid(pattern, "'**' is only allowed as the last segment");
                }
                anySuffix = true;
            } else if (part.equals(STAR)) {
                segments.add(null);
            } else if (part.contains(STAR)) {
                throw invalid(pattern, "'*' must be a whole segment (found '" + part
                        + "'); '*' matches one segment, '**' any suffix");
            } else {
                segments.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new WatchPattern(pattern, segments.toArray(new byte[0][]), anySuffix);
    }

    private static IllegalArgumentException invalid(String pattern, String why) {
        return new IllegalArgumentException("invalid watch pattern '" + pattern + "': " + why);
    }

    public boolean matches(String key) {
        return matches(key.getBytes(StandardCharsets.UTF_8));
    }

    public boolean matches(byte[] key) {
        int pos = 0; // start of the next unmatched segment; key.length + 1 once the key is used up
        for (byte[] segment : segments) {
            if (pos > key.length) {
                return false;
            }
            int end = indexOfDot(key, pos);
            if (segment == null ? end == pos : !Arrays.equals(key, pos, end, segment, 0, segment.length)) {
                return false;
            }
            pos = end + 1;
        }
        return anySuffix ? pos < key.length : pos == key.length + 1;
    }

    private static int indexOfDot(byte[] key, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == DOT) {
                return i;
            }
        }
        return key.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchPattern p && text.equals(p.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
