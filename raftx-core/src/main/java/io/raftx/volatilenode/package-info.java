/**
 * The volatile keyspace on a running node: {@link io.raftx.volatilenode.VolatileExtension} runs the deterministic
 * core ({@link io.raftx.volatiles.VolatileReplica}) on the node's event loop beside Raft, and
 * {@link io.raftx.volatilenode.VolatileClient} is its asynchronous client API ({@code RaftxServer.volatiles()}).
 *
 * <h2>What the runtime adds to the core</h2>
 * <ul>
 *   <li><b>Wire.</b> Core messages, forwarded client requests and their replies travel on the transport's extension
 *       channel {@value io.raftx.volatilenode.VolatileExtension#CHANNEL}, in the versioned binary formats of
 *       {@link io.raftx.volatilenode.wire}; frames above {@link io.raftx.volatilenode.VolatileSettings#chunkBytes()}
 *       (a SYNC carrying a ring buffer or snapshot) are cut into chunks and reassembled before the core sees them.
 *       Each message is one unary gRPC call: lost, duplicated and reordered messages are the core's normal
 *       weather.</li>
 *   <li><b>Terms and incarnations.</b> Raft publishes its status only after persisting the term, so the term the
 *       core is told is durable; every start builds a new core with a fresh random incarnation, holding no volatile
 *       data until a leader syncs it.</li>
 *   <li><b>Routing.</b> Writes and strong reads go to the local core when this node leads, else to the Raft leader
 *       (the volatile leader is always the Raft leader of the current term). Refusals (no leader, recovering, no
 *       quorum) are definite and retried until the request's deadline; a write is never sent again while an
 *       earlier attempt may still apply. A write whose leader changed or timed out ends with
 *       {@link io.raftx.node.UnknownOutcomeException}.</li>
 *   <li><b>Time.</b> TTLs are durations, converted to ticks ({@link io.raftx.volatilenode.TickDurations}); all nodes
 *       of a cluster must use the same tick length.</li>
 *   <li><b>Watches.</b> Events go to a volatile {@link io.raftx.kv.watch.WatchHub} (same API and event type as the
 *       KV's, {@code volatileKey = true}) whose revision is the global volatile op index
 *       ({@link io.raftx.volatilenode.VolatileWatchPublisher}).</li>
 * </ul>
 * The guarantees are the core's (see {@link io.raftx.volatiles}); nothing volatile is ever written to disk.
 *
 * <p>Not supported yet: following Raft membership changes (the voter set is fixed when a node's core starts);
 * streaming of large transfers (they are chunked over unary calls instead).
 */
package io.raftx.volatilenode;
