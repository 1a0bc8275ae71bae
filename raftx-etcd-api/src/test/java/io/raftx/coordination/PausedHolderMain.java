package io.raftx.coordination;

import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A lock holder in a process of its own, for {@link PausedLockHolderTest}: runs node {@code id} of the cluster,
 * acquires the lock, prints {@code TOKEN t}, then before every protected action checks that its lease is valid
 * (printing {@code ACT} and the end of the lease) until it finds the lock lost ({@code LOST}).
 * Arguments: id, data dir, members ({@code n1=host:port,...}), cluster token, tick ms, lease ms, lock name.
 */
public final class PausedHolderMain {

    public static void main(String[] args) throws Exception {
        String id = args[0];
        Map<String, String> members = new LinkedHashMap<>();
        for (String m : args[2].split(",")) {
            String[] kv = m.split("=", 2);
            members.put(kv[0], kv[1]);
        }
        RaftxServer server = new RaftxServer(new ServerSettings(id, members.get(id), null, Path.of(args[1]), members,
                args[3], Duration.ofMillis(Long.parseLong(args[4])))).start();
        LockOptions options = LockOptions.ofLease(Duration.ofMillis(Long.parseLong(args[5])));
        DistributedLock lock = new DistributedLock(server.volatiles().withTimeout(Duration.ofSeconds(20)), args[6], id,
                options);
        Optional<LockLease> lease = lock.tryAcquire(Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
        LockLease held = lease.orElseThrow();
        System.out.println("TOKEN " + held.fencingToken());
        while (true) {
            if (!held.isValid()) {
                System.out.println("LOST " + held.lost().getNow("its lease ran out"));
                break;
            }
            // The end of the lease by this process's clock: System.nanoTime() is CLOCK_MONOTONIC on Linux, the same
            // clock in every process of the machine, so the test can compare it with its own.
            System.out.println("ACT " + (System.nanoTime() + held.remaining().toNanos()));
            Thread.sleep(20);
        }
        Thread.sleep(60_000); // stays up until the test kills it
        server.close();
    }
}
