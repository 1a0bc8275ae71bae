package io.raftx.volatiles;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The choice a new leader makes before it takes volatile writes (ZAB-style): whose history to continue.
 *
 * <p>It decides once, in every configuration the leader counts in ({@link VoterConfigs}), it holds the reports
 * (history epoch, last index) of a majority of voters that hold volatile memory (history epoch > 0), itself included
 * if it is a voter — or of every voter, if that many never come together (a majority lost its memory at once, or the
 * cluster is brand new). A voter without memory (just restarted) cannot vouch for
 * anything, so it never counts towards the majority. The best history is the one synced with the latest epoch,
 * then the longest: histories synced with the same epoch are prefixes of that epoch leader's history, and a
 * majority with memory includes a holder of every committed op, so the best one holds them all. After a membership change the
 * majority that holds an op committed under the previous configuration overlaps every majority of the next one
 * (they differ by one voter), which is what the recovery quorum relies on.
 */
final class LeaderRecovery {

    /** A voter's history as it reported it after promising this epoch. */
    record Report(String id, long historyEpoch, long lastIndex) {
    }

    private LeaderRecovery() {
    }

    /** The best history among the reports if they suffice to decide, else null. */
    static Report chooseBest(Report self, Collection<FollowerProgress> followers, VoterConfigs configs) {
        Map<String, Report> reports = new HashMap<>();
        reports.put(self.id(), self);
        for (FollowerProgress p : followers) {
            if (p.reported) {
                reports.put(p.id, new Report(p.id, p.historyEpoch, p.lastIndex));
            }
        }
        for (VoterConfigs.Config c : configs.all()) {
            boolean memoryMajority = VoterConfigs.hasMajority(c.voters(),
                    id -> reports.containsKey(id) && reports.get(id).historyEpoch() > 0);
            if (!memoryMajority && !reports.keySet().containsAll(c.voters())) {
                return null;
            }
        }
        Comparator<Report> better = Comparator.comparingLong(Report::historyEpoch)
                .thenComparingLong(Report::lastIndex)
                .thenComparing(r -> r.id().equals(self.id())) // ties: keep our own, no fetch needed
                .thenComparing(Report::id, Comparator.reverseOrder());
        return reports.values().stream().max(better).orElseThrow();
    }
}
