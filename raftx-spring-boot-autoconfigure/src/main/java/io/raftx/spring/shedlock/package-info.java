/**
 * ShedLock on RaftX: {@link io.raftx.spring.shedlock.RaftxLockProvider}, auto-configured when
 * {@code shedlock-core} is on the classpath.
 */
package io.raftx.spring.shedlock;
