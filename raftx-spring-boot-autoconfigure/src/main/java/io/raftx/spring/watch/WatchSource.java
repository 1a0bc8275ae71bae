package io.raftx.spring.watch;

import io.raftx.kv.KvClient;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchListener;
import io.raftx.volatilenode.VolatileClient;

/**
 * Where a keyspace's watches are registered: the KV store or the volatile keyspace. Each numbers its events with a
 * revision of its own that a watch can resume from.
 */
public interface WatchSource {

    Watch watch(String pattern, WatchListener listener);

    /** Resumes from {@code fromRevision} (inclusive). */
    Watch watch(String pattern, long fromRevision, WatchListener listener);

    /** The persistent keys; revisions are KV store revisions. */
    static WatchSource of(KvClient kv) {
        return new WatchSource() {
            @Override
            public Watch watch(String pattern, WatchListener listener) {
                return kv.watch(pattern, listener);
            }

            @Override
            public Watch watch(String pattern, long fromRevision, WatchListener listener) {
                return kv.watch(pattern, fromRevision, listener);
            }
        };
    }

    /** The volatile keys; revisions are volatile op indexes. */
    static WatchSource of(VolatileClient volatiles) {
        return new WatchSource() {
            @Override
            public Watch watch(String pattern, WatchListener listener) {
                return volatiles.watch(pattern, listener);
            }

            @Override
            public Watch watch(String pattern, long fromRevision, WatchListener listener) {
                return volatiles.watch(pattern, fromRevision, listener);
            }
        };
    }
}
