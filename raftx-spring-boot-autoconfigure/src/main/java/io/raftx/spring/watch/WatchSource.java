package io.raftx.spring.watch;

import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchHub;
import io.raftx.kv.watch.WatchListener;

/**
 * Where a keyspace's watches are registered: the KV store's hub or the volatile keyspace's. Each numbers its events
 * with a revision of its own that a watch can resume from.
 */
public interface WatchSource {

    Watch watch(String pattern, WatchListener listener);

    /** Resumes from {@code fromRevision} (inclusive). */
    Watch watch(String pattern, long fromRevision, WatchListener listener);

    /** The last revision published (or restored from a snapshot). */
    long lastRevision();

    /** The oldest revision a watch can still start from. */
    long oldestRetainedRevision();

    /**
     * A keyspace's hub: the KV store's ({@code KvStateMachine.watches()}, revisions are KV store revisions) or the
     * volatile keyspace's ({@code VolatileClient.watches()}, revisions are volatile op indexes).
     */
    static WatchSource of(WatchHub hub) {
        return new WatchSource() {
            @Override
            public Watch watch(String pattern, WatchListener listener) {
                return hub.watch(pattern, listener);
            }

            @Override
            public Watch watch(String pattern, long fromRevision, WatchListener listener) {
                return hub.watch(pattern, fromRevision, listener);
            }

            @Override
            public long lastRevision() {
                return hub.lastRevision();
            }

            @Override
            public long oldestRetainedRevision() {
                return hub.oldestRetainedRevision();
            }
        };
    }
}
