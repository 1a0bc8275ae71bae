/**
 * {@link io.raftx.spring.core.RaftxTemplate} and what it works with: value serializers, results and the
 * {@link io.raftx.spring.core.RaftxException} hierarchy.
 */
package io.raftx.spring.core;
