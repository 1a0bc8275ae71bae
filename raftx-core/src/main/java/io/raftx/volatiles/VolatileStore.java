package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The applied volatile keyspace of one node: key to {@link VolatileValue}. Applying the same ops in the same order
 * gives the same content on every node — nothing in here depends on time or on the node.
 */
final class VolatileStore {

    private final TreeMap<String, VolatileValue> entries = new TreeMap<>();

    VolatileValue get(String key) {
        return entries.get(key);
    }

    int size() {
        return entries.size();
    }

    /** An unmodifiable copy of the whole keyspace (values are immutable, so this is cheap to share). */
    SortedMap<String, VolatileValue> copy() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /**
     * Applies one committed op; returns the event it caused, or null if it changed nothing (nothing there to remove,
     * or its condition did not hold — for a conditional op the two coincide, see {@link VolatileOp#ifVersion()}).
     */
    VolatileEvent apply(SequencedOp sequenced) {
        VolatileOp op = sequenced.op();
        long index = sequenced.index();
        VolatileValue prev = entries.get(op.key());
        if (!conditionHolds(prev, op)) {
            return null; // e.g. an expiry that lost the race with a newer write, or a lock taken by someone else
        }
        VolatileValue next = switch (op.type()) {
            case PUT -> VolatileValue.plain(op.value(), index);
            case DELETE -> null;
            case ADD_TO_SET -> prev == null || !prev.isSet() ? VolatileValue.set(Map.of(op.member(), index), index)
                    : prev.withMember(op.member(), index);
            case REMOVE_FROM_SET -> prev != null && prev.memberVersion(op.member()) >= 0
                    ? prev.withoutMember(op.member(), index) : prev;
        };
        if (next == prev) {
            return null; // nothing there to remove
        }
        if (next == null) {
            entries.remove(op.key());
        } else {
            entries.put(op.key(), next);
        }
        VolatileEvent.Cause cause = op.isExpiry() ? VolatileEvent.Cause.EXPIRED : VolatileEvent.Cause.CLIENT;
        return VolatileEvent.of(op.type(), op.key(), op.member(), prev, next, index, sequenced.epoch(), cause);
    }

    /** The op's {@link VolatileOp#ifVersion()} holds against the key's current value. */
    private static boolean conditionHolds(VolatileValue prev, VolatileOp op) {
        if (op.ifVersion() == 0) {
            return true;
        }
        boolean memberOp = op.type() == OpType.ADD_TO_SET || op.type() == OpType.REMOVE_FROM_SET;
        long current = prev == null ? -1 : memberOp ? prev.memberVersion(op.member()) : prev.version();
        if (op.ifVersion() == VolatileOp.IF_ABSENT) {
            return current < 0;
        }
        // An expiry of a key's TTL was started by a PUT, so it only ever removes a plain value.
        return current == op.ifVersion() && !(op.isExpiry() && !memberOp && prev.isSet());
    }

    /** True if {@code key} (member null) or its {@code member} still carries {@code version}: its TTL is live. */
    boolean holds(String key, String member, long version) {
        VolatileValue v = entries.get(key);
        if (v == null) {
            return false;
        }
        return member == null ? !v.isSet() && v.version() == version : v.memberVersion(member) == version;
    }

    /**
     * Replaces the whole keyspace (installing a snapshot at {@code index}); returns one RESYNC event per key whose
     * value differs, so watchers on this node see the jump.
     */
    List<VolatileEvent> replaceAll(SortedMap<String, VolatileValue> next, long index, long epoch) {
        TreeSet<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(next.keySet());
        List<VolatileEvent> events = new ArrayList<>();
        for (String key : keys) {
            VolatileValue before = entries.get(key);
            VolatileValue after = next.get(key);
            if (!Objects.equals(before, after)) {
                OpType type = after == null ? OpType.DELETE : OpType.PUT;
                events.add(VolatileEvent.of(type, key, null, before, after, index, epoch, VolatileEvent.Cause.RESYNC));
            }
        }
        entries.clear();
        entries.putAll(next);
        return events;
    }

    /** A canonical text of the content, equal on two nodes exactly when their keyspaces are equal. */
    String fingerprint() {
        return entries.toString();
    }
}
