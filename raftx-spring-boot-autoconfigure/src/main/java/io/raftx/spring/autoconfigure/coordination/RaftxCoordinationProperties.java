package io.raftx.spring.autoconfigure.coordination;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code raftx.coordination.*}: defaults of the locks and elections. */
@ConfigurationProperties("raftx.coordination")
public class RaftxCoordinationProperties {

    /**
     * Lease of elections joined without one, of Spring Integration's locks and of the leader initiator: how long a
     * holder that died or was cut off keeps a lock or leadership before another instance takes over.
     */
    private Duration lease = Duration.ofSeconds(10);

    /** Whether a Candidate bean is run for leadership by a RaftxLeaderInitiator (with Spring Integration). */
    private boolean leaderInitiator = true;

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public boolean isLeaderInitiator() {
        return leaderInitiator;
    }

    public void setLeaderInitiator(boolean leaderInitiator) {
        this.leaderInitiator = leaderInitiator;
    }
}
