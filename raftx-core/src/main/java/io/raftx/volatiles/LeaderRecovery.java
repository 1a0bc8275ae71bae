package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The choice a new leader makes before it takes volatile writes (ZAB-style): whose history to continue.
 *
 * <p>It decides once it holds the reports (history epoch, last index) of a majority of voters that hold volatile
 * memory (history epoch > 0), itself included — or of every voter, if that many never come together (a majority
 * lost its memory at once, or the cluster is brand new). A voter without memory (just restarted) cannot vouch for
 * anything, so it never counts towards the majority. The best history is the one synced with the latest epoch,
 * then the longest: histories synced with the same epoch are prefixes of that epoch leader's history, and a
 * majority with memory includes a holder of every committed op, so the best one holds them all.
 */
final class LeaderRecovery {

    /** A voter's history as it reported it after promising this epoch. */
    record Report(String id, long historyEpoch, long lastIndex) {
    }

    private LeaderRecovery() {
    }

    /** The best history among the reports if they suffice to decide, else null. */
    static Report chooseBest(Report self, Collection<FollowerProgress> followers, int voterCount, int majority) {
        List<Report> reports = new ArrayList<>();
        reports.add(self);
        for (FollowerProgress p : followers) {
            if (p.reported) {
                reports.add(new Report(p.id, p.historyEpoch, p.lastIndex));
            }
        }
        long withMemory = reports.stream().filter(r -> r.historyEpoch() > 0).count();
        if (withMemory < majority && reports.size() < voterCount) {
            return null;
        }
        Comparator<Report> better = Comparator.comparingLong(Report::historyEpoch)
                .thenComparingLong(Report::lastIndex)
                .thenComparing(r -> r.id().equals(self.id())) // ties: keep our own, no fetch needed
                .thenComparing(Report::id, Comparator.reverseOrder());
        return reports.stream().max(better).orElseThrow();
    }
}
