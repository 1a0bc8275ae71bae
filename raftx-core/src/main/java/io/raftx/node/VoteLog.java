package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.raft.Raft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per (pre-)vote a node is asked for, with its own state at that moment, and one per answer it gives.
 * Elections are rare, and these lines are what explains a slow one afterwards: a vote asked for and not answered
 * was ignored (the voter still kept its promise to a leader); a refusal says whose log was behind. Logger
 * {@code io.raftx.node.VoteLog}, to silence on its own.
 */
final class VoteLog {

    private static final Logger log = LoggerFactory.getLogger(VoteLog.class);

    private VoteLog() {
    }

    /** Loop thread, before the core steps {@code request}. */
    static void asked(Message request, Raft raft) {
        log.info("node {}: asked {} (this node: {})", raft.id(), request, raft);
    }

    static void answered(Message response) {
        log.info("node {}: answered {}", response.from(), response);
    }
}
