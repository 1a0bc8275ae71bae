package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The Raft configurations a volatile leader counts majorities in during its epoch: the one in force when it started
 * leading and every one Raft moved to since, until a later one is known committed in Raft. While more than one is
 * listed, every quorum (recovery, sync, commit, quorum check, strong reads) needs a majority of each — the joint rule
 * that keeps a volatile write committed here findable by a leader that starts with either configuration.
 *
 * <p>Why the older one may be dropped once a later one is committed: every later Raft leader then has that later
 * configuration (or, after another change, one that differs from it by a single voter), and Raft proposes a further
 * change only once the volatile leader confirmed that a majority of the current configuration holds every committed
 * volatile op ({@link VolatileReplica#configurationChangeHold}); single-voter changes have overlapping majorities.
 */
final class VoterConfigs {

    /** One configuration: its voters and a Raft log index at or after its entry (committed once Raft commits that). */
    record Config(Set<String> voters, long raftIndex) {
        Config {
            voters = Set.copyOf(voters);
        }

        int majority() {
            return voters.size() / 2 + 1;
        }
    }

    private final String self;
    private final List<Config> configs = new ArrayList<>();

    VoterConfigs(String self, Config initial) {
        this.self = self;
        configs.add(initial);
    }

    Config latest() {
        return configs.get(configs.size() - 1);
    }

    List<Config> all() {
        return List.copyOf(configs);
    }

    /** Raft moved to {@code c} (its voters differ from the latest's). */
    void add(Config c) {
        configs.add(c);
    }

    /**
     * Raft committed its log up to {@code raftCommit}: configurations before the latest committed one no longer
     * matter. Returns true if any was dropped.
     */
    boolean committedUpTo(long raftCommit) {
        int last = -1;
        for (int i = 0; i < configs.size(); i++) {
            if (configs.get(i).raftIndex() <= raftCommit) {
                last = i;
            }
        }
        if (last <= 0) {
            return false;
        }
        configs.subList(0, last).clear();
        return true;
    }

    /** True once Raft committed the latest configuration. */
    boolean latestCommitted(long raftCommit) {
        return latest().raftIndex() <= raftCommit;
    }

    /** Every voter of every listed configuration (this node included if it is one). */
    Set<String> members() {
        Set<String> all = new TreeSet<>();
        configs.forEach(c -> all.addAll(c.voters()));
        return all;
    }

    /** True if, in every listed configuration, a majority of voters satisfies {@code ok}. */
    boolean quorum(Predicate<String> ok) {
        return configs.stream().allMatch(c -> hasMajority(c.voters(), ok));
    }

    /** The highest value that, in every configuration, a majority of voters has reached. */
    long quorumValue(ToLongFunction<String> value) {
        long min = Long.MAX_VALUE;
        for (Config c : configs) {
            if (c.voters().isEmpty()) {
                continue; // no Raft leader has an empty configuration; nothing to count
            }
            long[] values = c.voters().stream().mapToLong(value).toArray();
            Arrays.sort(values);
            min = Math.min(min, values[values.length - c.majority()]);
        }
        return min;
    }

    static boolean hasMajority(Set<String> voters, Predicate<String> ok) {
        return voters.stream().filter(ok).count() >= voters.size() / 2 + 1;
    }

    boolean isSelf(String id) {
        return self.equals(id);
    }

    @Override
    public String toString() {
        return configs.toString();
    }
}
