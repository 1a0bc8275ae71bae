package io.raftx.transport;
import io.raftx.raft.Message;
@FunctionalInterface
public interface MessageHandler { void onMessage(Message m); }
