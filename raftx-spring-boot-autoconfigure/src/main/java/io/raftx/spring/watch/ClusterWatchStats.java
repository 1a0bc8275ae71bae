package io.raftx.spring.watch;

/**
 * Counters of one {@link ClusterWatch} method since start-up.
 *
 * @param listener  {@code beanName.methodName}
 * @param delivered events the method returned from normally
 * @param failed    events whose call threw (or that its executor refused)
 * @param resumed   times the watch fell too far behind and was re-created from its last delivered revision
 */
public record ClusterWatchStats(String listener, String pattern, long delivered, long failed, long resumed) {
}
