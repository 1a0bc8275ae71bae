package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowe's cache of configurations already explored, extended for operations with an unknown outcome.
 *
 * <p>A configuration is (known operations linearized, unknown operations used up, state). From the same one the
 * rest of the search is the same, so it is explored once. Moreover, with the same known set and state, using up
 * only a subset of the unknown operations leaves at least the same options, because an unknown operation never
 * has to be taken: such a configuration covers the other. Without that, each unknown operation can double the
 * configurations to explore.
 */
final class StateCache {

    private record Key(BitSet linearizedKnown, String state) {
    }

    private final Map<Key, List<long[]>> unknownSetsSeen = new HashMap<>();

    /**
     * @param linearizedKnown   the known operations linearized (not kept: copied if remembered)
     * @param linearizedUnknown the unknown operations used up, one bit per operation index (copied likewise)
     * @return true if no configuration seen before covers this one, which is now remembered
     */
    boolean remember(BitSet linearizedKnown, long[] linearizedUnknown, String state) {
        // Probe with the caller's live bit set; only a new entry pays for a copy.
        List<long[]> seen = unknownSetsSeen.get(new Key(linearizedKnown, state));
        if (seen == null) {
            seen = new ArrayList<>(1);
            unknownSetsSeen.put(new Key((BitSet) linearizedKnown.clone(), state), seen);
        }
        for (long[] used : seen) {
            if (isSubset(used, linearizedUnknown)) {
                return false;
            }
        }
        seen.removeIf(used -> isSubset(linearizedUnknown, used)); // now covered by the new one
        seen.add(linearizedUnknown.clone());
        return true;
    }

    private static boolean isSubset(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }
}
