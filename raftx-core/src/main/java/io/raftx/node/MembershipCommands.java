package io.raftx.node;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.ProposeResult;
import io.raftx.raft.Raft;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Membership changes as runtime commands: their encoding, the leader-side rules the core leaves to the runtime
 * (promote a learner only once it caught up; a leader that is asked to remove itself hands leadership over first),
 * and the peer address book the transport needs.
 */
final class MembershipCommands {

    private static final Logger log = LoggerFactory.getLogger(MembershipCommands.class);

    private MembershipCommands() {
    }

    static byte[] encode(ConfigChange change) {
        return (change.type() + "|" + change.nodeId() + "|" + (change.address() == null ? "" : change.address()))
                .getBytes(StandardCharsets.UTF_8);
    }

    static ConfigChange decode(byte[] payload) {
        String[] p = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
        if (p.length != 3) {
            throw new IllegalArgumentException("malformed membership change command");
        }
        return new ConfigChange(ConfigChange.Type.valueOf(p[0]), p[1], p[2].isEmpty() ? null : p[2]);
    }

    /**
     * What the leader does with a change; null result means "hold the request and retry on the next tick". A change
     * of voters also waits while one of the {@code extensions} that is a {@link MembershipGate} holds it.
     */
    static ProposeResult proposeOnLeader(Raft raft, long proposalId, ConfigChange change, long maxPromotionLag,
                                         Collection<LoopExtension> extensions) {
        if (change.type() == ConfigChange.Type.REMOVE && change.nodeId().equals(raft.id())) {
            if (raft.transferTarget() != null) {
                return null; // already handing over
            }
            String successor = bestSuccessor(raft);
            if (successor == null) {
                throw new IllegalArgumentException("cannot remove leader " + raft.id() + ": no other voter to take over");
            }
            raft.transferLeadership(successor); // the request is retried and then forwarded to the new leader
            return null;
        }
        if (change.type() == ConfigChange.Type.PROMOTE) {
            long lag = raft.followerLag(change.nodeId());
            if (lag < 0 || lag > maxPromotionLag) {
                throw new NotCaughtUpException("learner " + change.nodeId() + " is "
                        + (lag < 0 ? "not caught up to the latest configuration, so entries behind" : lag + " entries behind") + " (promotion needs <= "
                        + maxPromotionLag + "); retry once it has caught up");
            }
        }
        Set<String> next = raft.membership().apply(change).voters();
        for (LoopExtension ext : extensions) {
            String hold = ext instanceof MembershipGate gate
                    ? gate.holdVoterChange(raft.term(), raft.membership().voters(), next) : null;
            if (hold != null) {
                log.debug("node {}: {} of {} waits: {}", raft.id(), change.type(), change.nodeId(), hold);
                return null;
            }
        }
        return raft.proposeConfigChange(proposalId, change);
    }

    private static String bestSuccessor(Raft raft) {
        return raft.voters().stream().filter(v -> !v.equals(raft.id()) && raft.followerLag(v) >= 0)
                .min(Comparator.comparingLong(raft::followerLag)).orElse(null);
    }

    /**
     * Peers for the transport: members of the configuration, at the address it names or the one this node was started
     * with. A node that is not (yet) a member keeps every address it was started with, so it hears the leader that is
     * adding it.
     */
    static Map<String, String> peerAddresses(Membership membership, Map<String, String> initial, String self) {
        boolean joining = !membership.isMember(self);
        Map<String, String> peers = new LinkedHashMap<>();
        initial.forEach((id, address) -> {
            if (joining || membership.isMember(id)) {
                peers.put(id, address);
            }
        });
        peers.putAll(membership.addresses());
        return peers;
    }

    /** A learner asked to be promoted is still behind: not applied, the caller retries. */
    static final class NotCaughtUpException extends NotAppliedException {
        NotCaughtUpException(String message) {
            super(message);
        }
    }
}
