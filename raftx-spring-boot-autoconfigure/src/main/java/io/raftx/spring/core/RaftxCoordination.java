package io.raftx.spring.core;

/**
 * The coordination operations a {@link RaftxTemplate} hands out: {@link RaftxTemplate#opsForLocks()} and
 * {@link RaftxTemplate#opsForElection()}. The auto-configuration builds one per application.
 */
public record RaftxCoordination(RaftxLockOperations locks, RaftxElectionOperations elections) {
}
