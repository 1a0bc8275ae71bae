package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The membership checks themselves: they accept single-server changes and reject anything larger. */
class MembershipInvariantsTest {

    private final List<String> failures = new ArrayList<>();
    private final Membership abc = Membership.ofVoters(Set.of("a", "b", "c"));
    private final MembershipInvariants checks =
            new MembershipInvariants(null, abc, (invariant, detail) -> failures.add(invariant));

    private static Entry config(long index, Membership m) {
        return new Entry(1, index, EntryType.CONFIG, m.encode());
    }

    @Test
    void singleServerChangesPass() {
        Membership withLearner = abc.apply(ConfigChange.addLearner("d"));
        Membership promoted = withLearner.apply(ConfigChange.promote("d"));
        Membership removed = promoted.apply(ConfigChange.remove("a"));
        assertThat(MembershipInvariants.changedNodes(abc, withLearner)).containsExactly("d");
        assertThat(MembershipInvariants.changedNodes(withLearner, promoted)).containsExactly("d");
        assertThat(MembershipInvariants.changedNodes(promoted, removed)).containsExactly("a");
        checks.onCommitted(config(2, withLearner));
        checks.onCommitted(config(3, promoted));
        checks.onCommitted(config(4, removed));
        assertThat(failures).isEmpty();
        assertThat(checks.committed()).isEqualTo(removed);
    }

    @Test
    void twoChangesInOneCommittedConfigurationFail() {
        Membership twoNewVoters = new Membership(Set.of("a", "b", "c", "d", "e"), Set.of());
        checks.onCommitted(config(2, twoNewVoters));
        assertThat(failures).containsExactly("single-server change");
    }

    @Test
    void replacingAVoterAtOnceFails() {
        Membership swapped = new Membership(Set.of("a", "b", "d"), Set.of());
        assertThat(MembershipInvariants.changedNodes(abc, swapped)).containsExactly("c", "d");
        checks.onCommitted(config(2, swapped));
        assertThat(failures).containsExactly("single-server change");
    }
}
