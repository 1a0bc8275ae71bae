package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A single-voter leader confirms read indexes by itself, even when a heartbeat round starts before it does. */
class SingleVoterReadIndexTest {

    @Test
    void aReadAskedJustBeforeAHeartbeatTickIsStillConfirmed() {
        TestNetwork net = TestNetwork.of("n1");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        net.settle();
        assertThat(net.node("n1").readIndex(42)).isTrue();
        net.node("n1").tick(); // the heartbeat round opens before the next Ready; nobody will ever answer it
        net.settle();
        assertThat(net.reads.get(42L)).isNotNull().extracting(ReadState::ok).isEqualTo(true);
    }
}
