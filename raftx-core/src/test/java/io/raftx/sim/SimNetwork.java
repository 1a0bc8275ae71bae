package io.raftx.sim;

import io.raftx.raft.Message;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An unreliable network: every message gets a random delay (which reorders them), and may be lost, duplicated or
 * held back according to the {@link FaultPlan}. Partitions are a set of blocked directed links, checked when a
 * message arrives, so a partition also swallows messages that were already on the wire. Blocks are counted, so
 * overlapping outages heal independently.
 */
public final class SimNetwork {

    public record Link(String from, String to) {
    }

    private final EventQueue queue;
    private final Random random;
    private final SimStats stats;
    private final EventTrace trace;
    private final BiPredicate<Message, Object> deliver;
    private final Consumer<Message> lost;
    private final Map<Link, Integer> blocked = new HashMap<>();
    private FaultPlan faults;
    private Predicate<Message> dropFilter = m -> false;
    private final List<Consumer<Message>> sendObservers = new java.util.ArrayList<>();

    /**
     * @param deliver hands a message (and what travels beside it, e.g. snapshot data) to its destination; returns
     *                false if it could not be delivered
     * @param lost    told about every message the network swallowed at once
     */
    SimNetwork(EventQueue queue, Random random, SimStats stats, EventTrace trace, FaultPlan faults,
               BiPredicate<Message, Object> deliver, Consumer<Message> lost) {
        this.queue = queue;
        this.random = random;
        this.stats = stats;
        this.trace = trace;
        this.faults = faults;
        this.deliver = deliver;
        this.lost = lost;
    }

    public FaultPlan faults() {
        return faults;
    }

    public void setFaults(FaultPlan faults) {
        this.faults = faults;
    }

    /** Sends {@code m}; {@code attachment} (may be null) travels with it, e.g. the data of a snapshot. */
    void send(Message m, Object attachment) {
        stats.messagesSent++;
        for (Consumer<Message> o : sendObservers) {
            o.accept(m);
        }
        if (faults.dropRate() > 0 && random.nextDouble() < faults.dropRate()) {
            stats.messagesLost++;
            trace.add(queue.now(), "lost", m);
            lost.accept(m);
            return;
        }
        schedule(m, attachment);
        if (faults.duplicateRate() > 0 && random.nextDouble() < faults.duplicateRate()) {
            stats.messagesDuplicated++;
            schedule(m, attachment);
        }
    }

    private void schedule(Message m, Object attachment) {
        queue.after(delay(), () -> deliver.test(m, attachment));
    }

    private long delay() {
        long d = faults.minDelay() + random.nextInt(faults.maxDelay() - faults.minDelay() + 1);
        if (faults.slowRate() > 0 && random.nextDouble() < faults.slowRate()) {
            d += random.nextInt(faults.maxSlowDelay() + 1);
        }
        return d;
    }

    /** Sees every message handed to the network, lost or not (e.g. to count messages per type). */
    public void onSend(Consumer<Message> observer) {
        sendObservers.add(observer);
    }

    /** Whether {@code m} cannot be delivered now: its link is blocked or the drop filter rejects it. */
    public boolean isBlocked(Message m) {
        return (!blocked.isEmpty() && blocked.containsKey(new Link(m.from(), m.to()))) || dropFilter.test(m);
    }

    /** Whether the link from {@code from} to {@code to} is cut now (for traffic of protocols beside Raft). */
    public boolean isLinkBlocked(String from, String to) {
        return !blocked.isEmpty() && blocked.containsKey(new Link(from, to));
    }

    /** Drops every message matching {@code filter} on arrival, e.g. one node's acknowledgements (tests only). */
    public void setDropFilter(Predicate<Message> filter) {
        this.dropFilter = filter == null ? m -> false : filter;
    }

    public void blockOneWay(String from, String to) {
        blocked.merge(new Link(from, to), 1, Integer::sum);
    }

    public void unblockOneWay(String from, String to) {
        blocked.computeIfPresent(new Link(from, to), (l, n) -> n == 1 ? null : n - 1);
    }

    /** Blocks every link between different groups, both ways. Returns the links blocked, to heal them later. */
    public List<Link> partition(List<? extends Collection<String>> groups) {
        List<Link> links = new java.util.ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
                if (i != j) {
                    for (String a : groups.get(i)) {
                        for (String b : groups.get(j)) {
                            links.add(new Link(a, b));
                        }
                    }
                }
            }
        }
        links.forEach(l -> blockOneWay(l.from(), l.to()));
        return links;
    }

    public void unblock(Collection<Link> links) {
        links.forEach(l -> unblockOneWay(l.from(), l.to()));
    }

    /** Cuts {@code node} off from {@code others} in both directions. */
    public List<Link> isolate(String node, Collection<String> others) {
        return partition(List.of(Set.of(node), others.stream().filter(o -> !o.equals(node)).toList()));
    }

    /** Removes every partition, block and drop filter. */
    public void healAll() {
        blocked.clear();
        dropFilter = m -> false;
    }

    public boolean hasPartitions() {
        return !blocked.isEmpty();
    }
}
