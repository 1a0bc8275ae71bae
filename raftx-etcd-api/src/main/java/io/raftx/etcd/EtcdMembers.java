package io.raftx.etcd;

import io.etcd.jetcd.api.Member;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.raft.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RaftX members as etcd sees them: id = {@link EtcdIds#memberId}, name = node id, peer URL = http:// + the peer
 * transport address; only this node knows its client URL (the other nodes' etcd addresses are not replicated).
 */
final class EtcdMembers {

    private final RaftNode node;
    private final String clientUrl;
    private final Map<String, String> startAddresses;

    EtcdMembers(RaftNode node, String clientAddress, Map<String, String> startAddresses) {
        this.node = node;
        this.clientUrl = "http://" + clientAddress;
        this.startAddresses = startAddresses;
    }

    /** A member's peer address: from the configuration, else from the addresses the node started with. */
    String address(Membership m, String id) {
        String a = m.address(id);
        return a != null ? a : startAddresses.get(id);
    }

    /** Whether a member of {@code m} has this peer address. */
    boolean addressInUse(Membership m, String address) {
        return m.members().stream().anyMatch(id -> address.equals(address(m, id)));
    }

    Membership membership() {
        NodeStatus s = node.status();
        if (s == null || s.membership() == null) {
            throw EtcdErrors.noLeader();
        }
        return s.membership();
    }

    List<Member> list() {
        return list(membership());
    }

    List<Member> list(Membership m) {
        List<Member> out = new ArrayList<>();
        for (String id : m.members()) {
            out.add(toMember(m, id));
        }
        return out;
    }

    Member toMember(Membership m, String id) {
        Member.Builder b = Member.newBuilder().setID(EtcdIds.memberId(id)).setName(id)
                .setIsLearner(!m.isVoter(id));
        String address = address(m, id);
        if (address != null) {
            b.addPeerURLs("http://" + address);
        }
        if (id.equals(node.id())) {
            b.addClientURLs(clientUrl);
        }
        return b.build();
    }

    /** The member as the message of {@code newer_methods.proto} (the same fields and numbers). */
    static io.raftx.etcd.proto.Member newer(Member m) {
        return io.raftx.etcd.proto.Member.newBuilder().setID(m.getID()).setName(m.getName())
                .addAllPeerURLs(m.getPeerURLsList()).addAllClientURLs(m.getClientURLsList())
                .setIsLearner(m.getIsLearner()).build();
    }

    /** The node id whose etcd member id is {@code memberId}. */
    Optional<String> nodeId(long memberId) {
        return membership().members().stream().filter(id -> EtcdIds.memberId(id) == memberId).findFirst();
    }

    /**
     * A peer URL {@code http://host:port} (or {@code host:port}) as a RaftX address; the new member's node id is
     * derived from it ({@code host-port}), since etcd's MemberAdd carries no name.
     */
    static String address(String peerUrl) {
        String a = peerUrl.replaceFirst("^[a-zA-Z]+://", "");
        if (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        try {
            Membership.requireValidAddress("new member", a);
        } catch (IllegalArgumentException e) {
            throw EtcdErrors.memberBadUrls();
        }
        return a;
    }

    static String nodeIdFor(String address) {
        return address.replace(':', '-');
    }
}
