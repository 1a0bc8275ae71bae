package io.raftx.raft;

import java.util.List;
import java.util.random.RandomGenerator;

/** STUB — being written. */
public final class Raft {
    public Raft(RaftConfig config, RestoredState restored, RandomGenerator random) { throw new UnsupportedOperationException(); }
    public String id() { throw new UnsupportedOperationException(); }
    public Role role() { throw new UnsupportedOperationException(); }
    public long term() { throw new UnsupportedOperationException(); }
    public String leaderId() { throw new UnsupportedOperationException(); }
    public long commitIndex() { throw new UnsupportedOperationException(); }
    public long lastIndex() { throw new UnsupportedOperationException(); }
    public Entry entry(long index) { throw new UnsupportedOperationException(); }
    public List<Entry> entries(long fromInclusive, long toInclusive) { throw new UnsupportedOperationException(); }
    public List<String> voters() { throw new UnsupportedOperationException(); }
    public int rank() { throw new UnsupportedOperationException(); }
    public void tick() { throw new UnsupportedOperationException(); }
    public void step(Message m) { throw new UnsupportedOperationException(); }
    public ProposeResult propose(long proposalId, byte[] data) { throw new UnsupportedOperationException(); }
    public void campaign() { throw new UnsupportedOperationException(); }
    public boolean hasReady() { throw new UnsupportedOperationException(); }
    public Ready ready() { throw new UnsupportedOperationException(); }
    public void advance(Ready ready) { throw new UnsupportedOperationException(); }
}
