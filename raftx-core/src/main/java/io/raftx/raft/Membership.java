package io.raftx.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The cluster's configuration: voters decide elections and commits; learners receive the log but are never
 * counted. {@code addresses} maps members to their peer address (opaque to the core). Stored in
 * {@link EntryType#CONFIG} entries as text ({@code v1;voters=a,b;learners=c;addresses=a@h:1,...}) and effective as
 * soon as the entry is appended (Raft thesis §4.1), one single-node change at a time.
 */
public record Membership(Set<String> voters, Set<String> learners, Map<String, String> addresses) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** host:port, where host is a name, IPv4 or bracketed IPv6 address. */
    private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9_.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");

    public Membership(Set<String> voters, Set<String> learners) {
        this(voters, learners, Map.of());
    }

    public Membership {
        voters = Set.copyOf(new TreeSet<>(voters));
        learners = Set.copyOf(new TreeSet<>(learners));
        addresses = Map.copyOf(new TreeMap<>(addresses));
        addresses.forEach((id, address) -> requireValidAddress(id, address));
        for (String id : voters) {
            requireValidId(id);
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " cannot be both a voter and a learner");
            }
        }
        learners.forEach(Membership::requireValidId);
    }

    public static Membership ofVoters(Collection<String> voters) {
        return new Membership(Set.copyOf(voters), Set.of());
    }

    /** Voters with their peer addresses (id to host:port). */
    public static Membership ofVoters(Map<String, String> votersWithAddresses) {
        return new Membership(votersWithAddresses.keySet(), Set.of(), votersWithAddresses);
    }

    public static void requireValidAddress(String id, String address) {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("invalid address '" + address + "' for node " + id
                    + ": use host:port, for example 127.0.0.1:7101");
        }
    }

    public static void requireValidId(String id) {
        if (id == null || !NODE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid node id '" + id
                    + "': use 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean isMember(String id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Voters then learners, each sorted: the order replication walks them in. */
    public List<String> members() {
        List<String> all = new ArrayList<>(new TreeSet<>(voters));
        all.addAll(new TreeSet<>(learners));
        return all;
    }

    /** The configuration after {@code change}; throws with a clear message if the change makes no sense. */
    public Membership apply(ConfigChange change) {
        String id = change.nodeId();
        requireValidId(id);
        Set<String> v = new TreeSet<>(voters);
        Set<String> l = new TreeSet<>(learners);
        Map<String, String> a = new TreeMap<>(addresses);
        switch (change.type()) {
            case ADD_LEARNER -> {
                if (isMember(id)) {
                    throw new IllegalArgumentException("node " + id + " is already a member (" + describe() + ")");
                }
                l.add(id);
                addresses.forEach((member, address) -> {
                    if (address.equals(change.address())) {
                        throw new IllegalArgumentException("address " + address + " is already used by member "
                                + member + "; give node " + id + " its own address");
                    }
                });
                if (change.address() != null) {
                    a.put(id, change.address());
                }
            }
            case PROMOTE -> {
                if (!learners.contains(id)) {
                    throw new IllegalArgumentException("node " + id + " is not a learner; add it as a learner first ("
                            + describe() + ")");
                }
                l.remove(id);
                v.add(id);
            }
            case REMOVE -> {
                if (!isMember(id)) {
                    throw new IllegalArgumentException("node " + id + " is not a member (" + describe() + ")");
                }
                if (voters.size() == 1 && voters.contains(id)) {
                    throw new IllegalArgumentException("cannot remove " + id + ": it is the last voter");
                }
                v.remove(id);
                l.remove(id);
                a.remove(id);
            }
        }
        return new Membership(v, l, a);
    }

    public String describe() {
        return "voters=" + new TreeSet<>(voters) + " learners=" + new TreeSet<>(learners);
    }

    /** The peer address of {@code id}, or null if the configuration does not name one. */
    public String address(String id) {
        return addresses.get(id);
    }

    public byte[] encode() {
        StringBuilder addr = new StringBuilder();
        new TreeMap<>(addresses).forEach((id, address) -> addr.append(addr.isEmpty() ? "" : ",").append(id)
                .append('@').append(address));
        return ("v1;voters=" + String.join(",", new TreeSet<>(voters)) + ";learners="
                + String.join(",", new TreeSet<>(learners)) + ";addresses=" + addr).getBytes(StandardCharsets.UTF_8);
    }

    public static Membership decode(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        String[] parts = s.split(";", -1);
        if (parts.length != 4 || !parts[0].equals("v1") || !parts[1].startsWith("voters=")
                || !parts[2].startsWith("learners=") || !parts[3].startsWith("addresses=")) {
            throw new IllegalArgumentException("not a membership record: '" + s + "'");
        }
        Map<String, String> addresses = new TreeMap<>();
        for (String pair : split(parts[3].substring(10))) {
            int at = pair.indexOf('@');
            if (at < 1) {
                throw new IllegalArgumentException("not a membership record (address '" + pair + "'): '" + s + "'");
            }
            addresses.put(pair.substring(0, at), pair.substring(at + 1));
        }
        return new Membership(split(parts[1].substring(7)), split(parts[2].substring(9)), addresses);
    }

    private static Set<String> split(String csv) {
        return csv.isEmpty() ? Set.of() : Set.of(csv.split(","));
    }
}
