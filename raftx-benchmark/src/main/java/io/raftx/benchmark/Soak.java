package io.raftx.benchmark;

import java.io.IOException;
import java.util.Map;

/**
 * Maximum load without faults for a while: counts leader changes (every change of the leader or term a majority
 * names) and, once a minute, each node's heap after a forced full GC, which must not grow.
 */
final class Soak {

    private Soak() {
    }

    /** {@code first}: the leader the whole cluster followed when the soak began. */
    static void run(RaftxProcessCluster cluster, NodeStatusPoller status, SteadyWriteLoad load, int minutes,
                    NodeStatusPoller.Leader first) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + minutes * 60_000_000_000L;
        long nextHeap = start + 60_000_000_000L;
        NodeStatusPoller.Leader last = first;
        int changes = 0;
        long acked0 = load.acked();
        while (System.nanoTime() < end) {
            NodeStatusPoller.Leader now = status.leaderKnownToMajority(0);
            if (now != null && !now.equals(last)) {
                changes++;
                System.out.printf("  soak: leader change %s -> %s%n", last, now);
                last = now;
            }
            if (System.nanoTime() >= nextHeap) {
                nextHeap += 60_000_000_000L;
                StringBuilder line = new StringBuilder("  soak: minute " + Math.round((System.nanoTime() - start) / 6e10)
                        + " heap after full GC (MiB):");
                for (Map.Entry<String, String> e : cluster.clientEndpointsById().entrySet()) {
                    line.append(' ').append(e.getKey()).append('=')
                            .append(HeapAfterGc.kib(cluster.process(e.getKey())) / 1024);
                }
                System.out.println(line);
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("soak nodes=%d minutes=%d leader_changes=%d (first %s, last %s) writes/s=%.0f failed=%d%n",
                cluster.clientEndpointsById().size(), minutes, changes, first, last,
                (load.acked() - acked0) / seconds, load.failed());
    }
}
