package io.raftx.raft;

final class Quorum {

    private Quorum() {
    }

    static int majority(int voters) {
        return voters / 2 + 1;
    }
}
