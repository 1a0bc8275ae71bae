package io.raftx.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-of-run check of a {@link WriteLedger} against what each node holds: every acknowledged write on every node,
 * nothing RaftX refused, nothing never written, each value its key, and every node holding the same keys.
 */
final class LedgerCheck {

    private LedgerCheck() {
    }

    /**
     * @param what                what the keys are, for messages ("durable", "volatile")
     * @param versionCountsWrites true where a key's version counts its writes (durable keys): version 1 = applied once
     */
    static void verify(String what, Map<String, List<KeyValue>> keysByNode, WriteLedger ledger,
                       boolean versionCountsWrites) {
        Set<String> acknowledged = ledger.keys(WriteLedger.Outcome.ACKNOWLEDGED);
        Set<String> rejected = ledger.keys(WriteLedger.Outcome.REJECTED);
        Map<String, Set<String>> keySets = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        keysByNode.forEach((id, kvs) -> {
            Set<String> keys = new HashSet<>();
            for (KeyValue kv : kvs) {
                String key = kv.getKey().toStringUtf8();
                keys.add(key);
                if (versionCountsWrites && kv.getVersion() != 1) {
                    problems.add(id + ": " + key + " has version " + kv.getVersion() + ": applied more than once");
                }
                if (!kv.getValue().toStringUtf8().equals(key)) {
                    problems.add(id + ": " + key + " holds '" + kv.getValue().toStringUtf8() + "'");
                }
                if (!ledger.attempted(key)) {
                    problems.add(id + ": " + key + " was never written");
                }
                if (rejected.contains(key)) {
                    problems.add(id + ": " + key + " is present although RaftX answered that it was not applied");
                }
            }
            Set<String> missing = missing(acknowledged, keys);
            if (!missing.isEmpty()) {
                problems.add(id + ": " + missing.size() + " acknowledged " + what + " writes missing, e.g. "
                        + missing.stream().limit(10).toList());
            }
            keySets.put(id, keys);
        });
        assertThat(problems).as("%s writes: problems found (%s)", what, ledger.summary()).isEmpty();
        String first = keySets.keySet().iterator().next();
        keySets.forEach((id, keys) -> assertThat(keys).as("%s keys on %s equal those on %s", what, id, first)
                .isEqualTo(keySets.get(first)));
        assertThat(acknowledged).as("acknowledged %s writes", what).isNotEmpty();
    }

    static Set<String> missing(Set<String> acknowledged, Set<String> present) {
        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(present);
        return missing;
    }
}
