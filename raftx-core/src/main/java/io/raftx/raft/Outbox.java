package io.raftx.raft;

import java.util.ArrayList;
import java.util.List;

/** Messages produced since the last {@link Ready}, split by whether they may leave before local persistence. */
final class Outbox {

    private List<Message> eager = new ArrayList<>();
    private List<Message> afterPersist = new ArrayList<>();

    /**
     * A leader's append or heartbeat (safe to send while the leader writes its own log, Raft thesis §10.2.1), or a
     * pre-vote request or answer (it promises nothing).
     */
    void sendEager(Message m) {
        eager.add(m);
    }

    /** Promises durable state (a vote, an acknowledged append): must wait until the Ready is persisted. */
    void sendAfterPersist(Message m) {
        afterPersist.add(m);
    }

    boolean isEmpty() {
        return eager.isEmpty() && afterPersist.isEmpty();
    }

    List<Message> drainEager() {
        List<Message> out = eager;
        eager = new ArrayList<>();
        return out;
    }

    List<Message> drainAfterPersist() {
        List<Message> out = afterPersist;
        afterPersist = new ArrayList<>();
        return out;
    }
}
