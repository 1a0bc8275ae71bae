package io.raftx.kv;

import java.util.List;

/**
 * @param revision  the store's revision the scan saw
 * @param keyValues matching entries sorted by key (unsigned bytes), at most the requested limit
 * @param more      whether more keys matched than the limit allowed
 */
public record ScanResult(long revision, List<KeyValue> keyValues, boolean more) {

    public ScanResult {
        keyValues = List.copyOf(keyValues);
    }
}
