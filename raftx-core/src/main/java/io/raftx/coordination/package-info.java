/**
 * Coordination on the volatile keyspace: {@link io.raftx.coordination.DistributedLock} (a lease-based lock with
 * fencing tokens — its documentation states the guarantees and the fencing-token contract precisely) and
 * {@link io.raftx.coordination.LeaderElection} for application instances, built on the lock.
 */
package io.raftx.coordination;
