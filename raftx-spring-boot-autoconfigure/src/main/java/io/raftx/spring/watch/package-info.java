/**
 * {@link io.raftx.spring.watch.ClusterWatch @ClusterWatch}: bean methods called for every applied change of
 * matching keys on this node.
 */
package io.raftx.spring.watch;
