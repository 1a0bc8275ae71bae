package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.raftx.kv.KeyRange;
import io.raftx.kv.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One etcd Range request over the keys it selects, with etcd's semantics: {@code count} is the number of keys in the
 * range (before the revision filters), the revision filters prune, a sort (any target, either order) is applied
 * before the limit, {@code more} says whether matches beyond the limit were left out, and {@code keys_only} /
 * {@code count_only} drop values / key-values.
 */
final class RangeQuery {

    private final RangeRequest request;
    private final Comparator<KeyValue> order; // null: key order, as stored

    private RangeQuery(RangeRequest request, Comparator<KeyValue> order) {
        this.request = request;
        this.order = order;
    }

    /** Checks the request's options; throws etcd's error for invalid ones. */
    static RangeQuery of(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.emptyKey();
        }
        if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
                || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
            throw EtcdErrors.invalidSortOption();
        }
        if (r.getLimit() < 0) {
            throw EtcdErrors.invalid("limit must not be negative, got " + r.getLimit());
        }
        return new RangeQuery(r, comparator(r));
    }

    /** etcd: no order with a non-key target means ascending; key ascending is the stored order. */
    private static Comparator<KeyValue> comparator(RangeRequest r) {
        RangeRequest.SortOrder sortOrder = r.getSortOrder();
        if (sortOrder == RangeRequest.SortOrder.NONE && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
            sortOrder = RangeRequest.SortOrder.ASCEND;
        }
        if (sortOrder == RangeRequest.SortOrder.NONE
                || (sortOrder == RangeRequest.SortOrder.ASCEND && r.getSortTarget() == RangeRequest.SortTarget.KEY)) {
            return null;
        }
        Comparator<KeyValue> byKey = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());
        Comparator<KeyValue> c = switch (r.getSortTarget()) {
            case KEY -> byKey;
            case VERSION -> Comparator.comparingLong(KeyValue::version);
            case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
            case MOD -> Comparator.comparingLong(KeyValue::modRevision);
            case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value(), b.value());
            default -> throw EtcdErrors.invalidSortOption();
        };
        // Stable for equal targets: ties stay in key order, as etcd's stable sort leaves them.
        return sortOrder == RangeRequest.SortOrder.DESCEND ? c.reversed() : c;
    }

    /** The keys the request selects: one key, a range, or every key from {@code key} on (range_end "\0"). */
    static KeyRange keys(ByteString key, ByteString rangeEnd) {
        byte[] from = key.toByteArray();
        if (rangeEnd.isEmpty()) {
            return null;
        }
        if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
            return new KeyRange(from, null);
        }
        return new KeyRange(from, rangeEnd.toByteArray());
    }

    KeyRange range() {
        return keys(request.getKey(), request.getRangeEnd());
    }

    /** The keys the request selects as a range (one key: the range holding just that key). */
    KeyRange selectedKeys() {
        if (!singleKey()) {
            return range();
        }
        byte[] key = keyBytes();
        return new KeyRange(key, java.util.Arrays.copyOf(key, key.length + 1));
    }

    byte[] keyBytes() {
        return request.getKey().toByteArray();
    }

    boolean singleKey() {
        return request.getRangeEnd().isEmpty();
    }

    /** Answers the request from the selected keys (in key order), on the thread that may read them. */
    RangeResponse.Builder answer(Stream<KeyValue> keysInRange) {
        long[] count = {0};
        Stream<KeyValue> matches = keysInRange.peek(kv -> count[0]++).filter(this::passesFilters);
        long limit = request.getLimit();
        List<KeyValue> kept;
        boolean more;
        if (order == null && limit > 0) {
            // Stored order is the answer's order: keep limit + 1 to know whether there is more, count the rest.
            kept = new ArrayList<>();
            long[] matched = {0};
            matches.forEach(kv -> {
                if (matched[0]++ < limit) {
                    kept.add(kv);
                }
            });
            more = matched[0] > limit;
        } else {
            kept = new ArrayList<>(matches.toList());
            if (order != null) {
                kept.sort(order);
            }
            more = limit > 0 && kept.size() > limit;
            if (more) {
                kept.subList((int) limit, kept.size()).clear();
            }
        }
        RangeResponse.Builder b = RangeResponse.newBuilder().setCount(count[0]);
        if (request.getCountOnly()) {
            return b;
        }
        b.setMore(more);
        kept.forEach(kv -> b.addKvs(EtcdRequests.toProto(kv, request.getKeysOnly())));
        return b;
    }

    private boolean passesFilters(KeyValue kv) {
        RangeRequest r = request;
        return (r.getMinModRevision() == 0 || kv.modRevision() >= r.getMinModRevision())
                && (r.getMaxModRevision() == 0 || kv.modRevision() <= r.getMaxModRevision())
                && (r.getMinCreateRevision() == 0 || kv.createRevision() >= r.getMinCreateRevision())
                && (r.getMaxCreateRevision() == 0 || kv.createRevision() <= r.getMaxCreateRevision());
    }
}
