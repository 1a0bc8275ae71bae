package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.Raft;
import io.raftx.raft.RaftConfig;
import io.raftx.raft.Ready;
import io.raftx.raft.RestoredState;
import io.raftx.raft.Role;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A leader answers a lease read from its lease only while its core has been given every tick that is due. */
class LeaseReadTickClockTest {

    private static final Duration TICK = Duration.ofMillis(50);

    private final AtomicLong now = new AtomicLong();
    private final TickClock clock = new TickClock(TICK, now::get);
    private final Raft raft = new Raft(RaftConfig.of("n1", List.of("n1")).withLeaseReads(true), RestoredState.EMPTY,
            new SplittableRandom(7));
    private final ProposalWaiters proposals = new ProposalWaiters(Duration.ofSeconds(5));
    private final RequestRouter router = new RequestRouter("n1", Duration.ofSeconds(5), raft, clock, proposals,
            new ReadWaiters(), null, null);

    /** A single-voter leader whose lease holds, its clock started and in step. */
    private void leading() {
        clock.started();
        for (int i = 0; i < 40 && !raft.leaseValid(); i++) {
            tick();
            while (raft.hasReady()) {
                Ready rd = raft.ready();
                raft.advance(rd);
            }
        }
        assertThat(raft.role()).isEqualTo(Role.LEADER);
        assertThat(raft.leaseValid()).isTrue();
        assertThat(clock.current()).isTrue();
    }

    private void tick() {
        now.addAndGet(TICK.toNanos());
        clock.ticked(now.get());
        raft.tick();
    }

    private Request leaseRead() {
        Request read = new Request(new Command(Command.Kind.LEASE_READ, 1, 1, new byte[0]), Long.MAX_VALUE, true);
        router.route(read);
        return read;
    }

    @Test
    void aLeaseReadIsAnsweredAtOnceWhileTheClockIsCurrent() {
        leading();
        assertThat(leaseRead().future).isCompleted();
    }

    @Test
    void afterAPauseALeaseReadThatArrivesBeforeTheMissedTicksWaitsForAHeartbeatRound() {
        leading();
        now.addAndGet(Duration.ofSeconds(1).toNanos()); // stopped: the ticker's ticks for that second are not queued yet
        assertThat(raft.leaseValid()).as("the core, which counts ticks, still sees its lease").isTrue();
        Request read = leaseRead();
        assertThat(read.future).as("answered only once a heartbeat round confirms the leadership").isNotDone();
        assertThat(raft.hasReady()).as("the ReadIndex round was started").isTrue();
    }
}
