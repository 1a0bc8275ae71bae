/**
 * Backpressure between the peer transport and a node's event loop: {@link io.raftx.backpressure.LoopBackpressure}
 * lets a transport that bounds its inbound bytes ({@link io.raftx.transport.InboundBackpressure}) see when the loop
 * has processed what it handed over.
 */
package io.raftx.backpressure;
