/**
 * Spring {@link org.springframework.context.ApplicationEvent}s for what happens to this instance in the cluster:
 * Raft role and leader changes, locks lost, application elections granted and revoked; published in order by
 * {@link io.raftx.spring.event.RaftxEventPublisher}.
 */
package io.raftx.spring.event;
