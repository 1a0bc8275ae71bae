/**
 * Spring Integration on RaftX: {@link io.raftx.spring.integration.RaftxLockRegistry} (a {@code LockRegistry}) and
 * {@link io.raftx.spring.integration.RaftxLeaderInitiator} (runs a {@code Candidate} in a RaftX election).
 * Auto-configured when {@code spring-integration-core} is on the classpath.
 */
package io.raftx.spring.integration;
