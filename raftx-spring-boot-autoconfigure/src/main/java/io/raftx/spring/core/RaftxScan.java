package io.raftx.spring.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a prefix scan found.
 *
 * @param revision the store revision the scan saw
 * @param entries  matching entries sorted by key (UTF-8 byte order)
 * @param more     whether more keys matched than the scan's limit
 */
public record RaftxScan<V>(long revision, List<RaftxEntry<V>> entries, boolean more) {

    public RaftxScan {
        entries = List.copyOf(entries);
    }

    /** Key to value, in key order. */
    public Map<String, V> asMap() {
        Map<String, V> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.key(), e.value()));
        return map;
    }
}
