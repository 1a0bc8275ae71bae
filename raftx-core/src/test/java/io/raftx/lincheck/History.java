package io.raftx.lincheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the clients saw: operations in no particular order (the times say the order). Immutable. */
public record History(List<Operation> operations) {

    public History {
        operations = List.copyOf(operations);
    }

    public static History of(Operation... operations) {
        return new History(List.of(operations));
    }

    public int size() {
        return operations.size();
    }

    /** The sub-history of each key, keys sorted so that reports are deterministic. */
    public Map<String, List<Operation>> byKey() {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : operations) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return byKey;
    }
}
