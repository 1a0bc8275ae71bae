/**
 * The volatile keyspace: a memory-only replicated map, sequenced by the Raft leader, as a second deterministic
 * protocol core beside {@link io.raftx.raft.Raft}. {@link io.raftx.volatiles.VolatileReplica} is the façade; like
 * the Raft core it has no threads, clocks, sockets or disk, and nothing of it is ever written to disk.
 *
 * <h2>Data model</h2>
 * Keys hold a plain value or a set of members. Mutations ({@link io.raftx.volatiles.VolatileOp}) are PUT(key, value,
 * ttl), DELETE(key), ADD_TO_SET(key, member, ttl), REMOVE_FROM_SET(key, member); TTLs are in logical ticks, per key
 * for PUT and per member for ADD_TO_SET (0 = none). Every node applies the same ops in the same order and emits a
 * {@link io.raftx.volatiles.VolatileEvent} (type, key, prev, new, {@code volatileData = true}) per change.
 * A key's version is the index of the op that last changed it. An op may carry a condition
 * ({@link io.raftx.volatiles.VolatileOp#ifVersion()}: the key or member is absent, or still at a version), checked
 * where the op lands in the order, identically on every node; one whose condition fails changes nothing and is
 * reported {@link io.raftx.volatiles.WriteOutcome.Status#CONDITION_FAILED} — compare-and-set, on which locks rest.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>Epochs.</b> The Raft leader of term T leads the volatile keyspace in epoch T. Every op gets a global
 *       position (index, epoch): indexes count all ops ever sequenced (1, 2, ... across epochs); the epoch says
 *       who sequenced it. A node's {@code historyEpoch} is the epoch of the leader it last synced with — 0 means
 *       it holds no volatile memory (it just started).</li>
 *   <li><b>Promises.</b> A node answers a leader only in the Raft term it was told of (durably, so across
 *       restarts too) and refuses leaders of older terms; answering epoch T's leader is its promise to take no
 *       more ops from older epochs.</li>
 *   <li><b>Recovery (ZAB-style).</b> The new leader first collects (historyEpoch, lastIndex) from voters until it
 *       has a majority of voters <em>holding volatile memory</em> (itself included if it does) — a node without
 *       memory cannot vouch for anything, so it never counts — or, failing that, every voter. It takes the best
 *       history (latest historyEpoch, then longest), fetches what it lacks from its holder (ops after its own
 *       commit index, or a snapshot) — a holder that falls silent for {@code quorumTimeoutTicks} stops counting
 *       and the leader chooses again among the voters still answering (a timer for liveness only: the choice is
 *       safe among any reports that suffice) — then syncs the voters: each gets the ops after its commit index from the
 *       leader's ring buffer, or an in-memory snapshot if they are gone or its history contradicts; a divergent
 *       uncommitted suffix of an older epoch is truncated. A node adopts epoch T only when it has taken such a
 *       SYNC, which replaces its history atomically. Once a majority holds the history it is committed, and only
 *       then does the leader take writes in epoch T.</li>
 *   <li><b>Writes.</b> The leader appends an op, sends it to synced voters, and commits once a majority of voters
 *       holds it; then it applies it and acknowledges the client. Followers learn the commit index from later
 *       appends and heartbeats and apply in order.</li>
 *   <li><b>Catch-up.</b> Every node keeps the last {@link io.raftx.volatiles.VolatileConfig#ringCapacity()} applied
 *       ops (1,048,576 by default) in a ring buffer. A node behind by less is replayed the missing ops; one further
 *       behind, or whose history diverged, gets an in-memory snapshot (whole keyspace, position, remaining TTLs)
 *       followed by the ops after it. Nothing is dropped.</li>
 *   <li><b>TTL.</b> Every node starts a deadline, in its own ticks, when it applies a write with a TTL; only the
 *       active leader acts on one, by proposing an expiry (a DELETE or REMOVE_FROM_SET conditional on the version
 *       of the write that set the TTL) through the same ordered stream. Followers never expire anything
 *       themselves, so replicas never diverge, and a write racing with its expiry wins.</li>
 *   <li><b>Restarts.</b> A restarted node holds no volatile data and reports epoch 0 until a leader syncs it. Each
 *       start has its own incarnation number, so a SYNC computed for the node's previous life is never taken.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * The failure model: a voter <em>holds volatile memory</em> while it runs and has synced since it last started;
 * crashing loses its memory, resyncing restores it. Messages may be lost, duplicated, delayed and reordered.
 * Raft provides at most one leader per term and a durable, monotonic term per node. No clock assumptions.
 * <ul>
 *   <li><b>Acknowledged writes survive.</b> A write reported {@link io.raftx.volatiles.WriteOutcome.Status#COMMITTED}
 *       stays at its position and is applied by every node that applies that far, through any sequence of
 *       failures in which, at every moment, a majority of voters holds volatile memory. Crashing voters one at a
 *       time and letting each resync before the next (a rolling restart) loses nothing.</li>
 *   <li><b>One order.</b> Every node applies the same ops at the same positions, in index order without gaps
 *       (a snapshot install jumps forward to a position the history had), so all replicas pass through the same
 *       states and expire keys identically.</li>
 *   <li><b>Definite refusals.</b> A refused write or read ({@link io.raftx.volatiles.Admission.Refusal}) was not
 *       applied. An accepted write whose leader stopped leading, or that did not commit within the request
 *       timeout, is reported with an UNKNOWN status: a later leader may still commit it or drop it.</li>
 *   <li><b>Strong reads</b> ({@link io.raftx.volatiles.VolatileReplica#readStrong}) are served by the active leader
 *       after a majority of voters answered a heartbeat round started after the read arrived (read-index, batched):
 *       no newer leader had taken over by then, so the result reflects every write acknowledged before the read
 *       was asked (linearizable; it may also reflect writes committed but not yet acknowledged). They never rely
 *       on clocks.</li>
 *   <li><b>Local reads</b> ({@link io.raftx.volatiles.VolatileReplica#localGet}) return this node's applied state:
 *       only committed ops, a prefix of the one order, never going back on a running node (within the failure
 *       model), but possibly stale
 *       (behind the leader, or a partitioned node's old state), and empty on a node that restarted and has not
 *       resynced ({@link io.raftx.volatiles.VolatileReplica#isSynced()} is false).</li>
 *   <li><b>Without a majority.</b> A leader that has not heard from a majority of synced voters within
 *       {@code quorumTimeoutTicks} refuses writes and strong reads with {@code NO_QUORUM}; its pending writes end
 *       {@code UNKNOWN_TIMED_OUT}. A new leader that cannot reach a majority of voters holding memory stays in
 *       recovery and refuses with {@code RECOVERING}; with no Raft leader at all, every node refuses with
 *       {@code NOT_LEADER}.</li>
 *   <li><b>When a majority lost its memory at once</b> (outside the failure model, e.g. a full cluster restart),
 *       no majority can vouch for the history, so the new leader waits until <em>every</em> voter has answered and
 *       continues the best history that survived anywhere. Writes held only by the lost nodes are gone; replicas
 *       still converge (a node whose applied state contradicts the survivors' rolls back to a snapshot, with RESYNC
 *       events, counted in {@link io.raftx.volatiles.VolatileReplica#rollbacks()}). The same rule lets a brand-new
 *       cluster start: its first volatile leader needs every voter to answer once. Removing a permanently dead voter
 *       from the Raft membership unblocks it.</li>
 * </ul>
 *
 * <h2>Membership changes</h2>
 * The voters are Raft's: every node's core is told the configuration in force in its Raft log
 * ({@link io.raftx.volatiles.VolatileReplica#raftStatus}). Raft changes one voter at a time, so the majorities of two
 * consecutive configurations overlap; the volatile side keeps that overlap between any configuration an op was
 * committed under and any configuration a later leader recovers with:
 * <ul>
 *   <li><b>Joint counting within an epoch.</b> When Raft moves to new voters, the leader counts every quorum
 *       (commit, sync, quorum check, strong reads) in the old and the new configuration until Raft commits the new
 *       one ({@link io.raftx.volatiles.VoterConfigs}): a leader of a later term may start from either.</li>
 *   <li><b>Activation after Raft's commit.</b> A new leader recovers with the configuration in force in its log
 *       but turns ACTIVE only once Raft has committed its log up to where it started leading (so that
 *       configuration is committed, and every later leader starts from it or from one change after it).</li>
 *   <li><b>The gate.</b> Raft proposes a change of voters only when the volatile leader of its term is ACTIVE and a
 *       majority of the current voters holds every committed volatile op
 *       (and, when a voter leaves, a majority of the remaining voters, so that removing a holder right after
 *       another lost its memory cannot strand a write) ({@link io.raftx.volatiles.VolatileReplica#configurationChangeHold});
 *       the runtime holds the change and
 *       retries until then. Without it, two quick changes could leave an acknowledged op on voters that no majority
 *       of the newest configuration includes. If a majority of the current voters has no volatile memory (outside
 *       the failure model), the change goes through, since removing a dead voter may be what lets recovery
 *       finish.</li>
 * </ul>
 * With membership changes the failure model reads: at every moment a majority of every configuration in force holds
 * volatile memory (a newly added voter holds none until the leader synced it).
 *
 * <h2>Driving it</h2>
 * The runtime calls {@link io.raftx.volatiles.VolatileReplica#raftLeaderChanged} after Raft has persisted a new
 * term or learned or lost its leader; builds a new core with the durable Raft term and a fresh incarnation on every
 * start; ticks it with the Raft ticks; steps it with volatile messages; and after every batch of inputs sends
 * {@link io.raftx.volatiles.VolatileReady#messages()}, delivers events and completes clients. SYNC and
 * FETCH_RESPONSE messages can carry a large history (up to the ring capacity, or a whole snapshot): the transport
 * should stream them and step the core once one has fully arrived.
 */
package io.raftx.volatiles;
