package io.raftx.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-operation transaction, etcd style: if every compare holds, the then-ops run, otherwise the else-ops.
 * It is applied all or nothing at one revision (bumped once, only if something was written).
 *
 * <pre>{@code
 * Txn txn = Txn.builder()
 *         .when(Compare.modRevision(k, Compare.Operator.EQUAL, 7))
 *         .then(Op.put(k, v)).then(Op.delete(other))
 *         .orElse(Op.get(k))
 *         .build();
 * }</pre>
 */
public record Txn(List<Compare> compares, List<Op> thenOps, List<Op> elseOps) {

    public Txn {
        compares = List.copyOf(compares);
        thenOps = List.copyOf(thenOps);
        elseOps = List.copyOf(elseOps);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Compare> compares = new ArrayList<>();
        private final List<Op> thenOps = new ArrayList<>();
        private final List<Op> elseOps = new ArrayList<>();

        private Builder() {
        }

        public Builder when(Compare... cs) {
            compares.addAll(List.of(cs));
            return this;
        }

        public Builder then(Op... ops) {
            thenOps.addAll(List.of(ops));
            return this;
        }

        public Builder orElse(Op... ops) {
            elseOps.addAll(List.of(ops));
            return this;
        }

        public Txn build() {
            return new Txn(compares, thenOps, elseOps);
        }
    }
}
