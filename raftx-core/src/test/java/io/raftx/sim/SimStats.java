package io.raftx.sim;

import java.util.Locale;

/** Counters for one run, summed over seeds for the report. */
public final class SimStats {

    long steps;
    long messagesSent;
    long messagesDelivered;
    long messagesLost;
    long messagesDuplicated;
    long messagesBlocked;
    long crashes;
    long midReadyCrashes;
    long restarts;
    long elections;
    long partitions;
    long proposalsAccepted;
    long proposalsRefused;
    long committedOutcomes;
    long truncatedOutcomes;
    long readsRequested;
    long readsConfirmed;
    long readsFailed;
    long snapshotsTaken;
    long snapshotsInstalled;
    long snapshotsLost;
    long transfers;
    long nodesAdded;
    long nodesRetired;
    long learnersAdded;
    long promotions;
    long removals;
    long leaderRemovals;
    long configChangesRefused;
    long readsServed;
    long leaseReads;
    long followerReads;
    /** Reports of an unreachable peer delivered to live nodes, and how many of the report events were false. */
    long unreachableReports;
    long falseUnreachableReports;
    /** Of the reports, those saying nothing listens at the peer's address any more ({@code Raft.peerDown}). */
    long downReports;
    /** Ticks delivered late ({@code Raft#tickLate}), as after a pause of the node's process. */
    long lateTicks;

    public long steps() {
        return steps;
    }

    public long crashes() {
        return crashes;
    }

    public long elections() {
        return elections;
    }

    public long readsConfirmed() {
        return readsConfirmed;
    }

    public long readsServed() {
        return readsServed;
    }

    public long snapshotsTaken() {
        return snapshotsTaken;
    }

    public long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    public long committedOutcomes() {
        return committedOutcomes;
    }

    public long messagesSent() {
        return messagesSent;
    }

    public void add(SimStats o) {
        steps += o.steps;
        messagesSent += o.messagesSent;
        messagesDelivered += o.messagesDelivered;
        messagesLost += o.messagesLost;
        messagesDuplicated += o.messagesDuplicated;
        messagesBlocked += o.messagesBlocked;
        crashes += o.crashes;
        midReadyCrashes += o.midReadyCrashes;
        restarts += o.restarts;
        elections += o.elections;
        partitions += o.partitions;
        proposalsAccepted += o.proposalsAccepted;
        proposalsRefused += o.proposalsRefused;
        committedOutcomes += o.committedOutcomes;
        truncatedOutcomes += o.truncatedOutcomes;
        readsRequested += o.readsRequested;
        readsConfirmed += o.readsConfirmed;
        readsFailed += o.readsFailed;
        snapshotsTaken += o.snapshotsTaken;
        snapshotsInstalled += o.snapshotsInstalled;
        snapshotsLost += o.snapshotsLost;
        transfers += o.transfers;
        nodesAdded += o.nodesAdded;
        nodesRetired += o.nodesRetired;
        learnersAdded += o.learnersAdded;
        promotions += o.promotions;
        removals += o.removals;
        leaderRemovals += o.leaderRemovals;
        configChangesRefused += o.configChangesRefused;
        readsServed += o.readsServed;
        leaseReads += o.leaseReads;
        followerReads += o.followerReads;
        unreachableReports += o.unreachableReports;
        falseUnreachableReports += o.falseUnreachableReports;
        downReports += o.downReports;
        lateTicks += o.lateTicks;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "steps=%d messages: sent=%d delivered=%d lost=%d duplicated=%d blocked=%d | crashes=%d "
                        + "(mid-ready %d) restarts=%d partitions=%d elections=%d | proposals accepted=%d refused=%d "
                        + "committed=%d truncated=%d | reads requested=%d confirmed=%d failed=%d | snapshots taken=%d "
                        + "installed=%d lost=%d | leadership transfers=%d | membership: nodes booted=%d retired=%d, "
                        + "learners added=%d promoted=%d removed=%d (of them leaders %d), changes refused=%d | "
                        + "reads served=%d (lease %d, on followers %d) | unreachable reports delivered=%d "
                        + "(of them down %d; false-report events %d) | late ticks=%d",
                steps, messagesSent, messagesDelivered, messagesLost, messagesDuplicated, messagesBlocked, crashes,
                midReadyCrashes, restarts, partitions, elections, proposalsAccepted, proposalsRefused,
                committedOutcomes, truncatedOutcomes, readsRequested, readsConfirmed, readsFailed, snapshotsTaken,
                snapshotsInstalled, snapshotsLost, transfers, nodesAdded, nodesRetired, learnersAdded, promotions,
                removals, leaderRemovals, configChangesRefused, readsServed, leaseReads, followerReads,
                unreachableReports, downReports, falseUnreachableReports, lateTicks);
    }
}
