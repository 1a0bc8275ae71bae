package io.raftx.spring.core;

import io.micrometer.observation.ObservationRegistry;
import io.raftx.kv.KvClient;
import io.raftx.volatilenode.VolatileClient;
import java.util.concurrent.Executor;

/** A {@link RaftxTemplate} with UTF-8 text values: the one the auto-configuration provides. */
public class StringRaftxTemplate extends RaftxTemplate<String> {

    public StringRaftxTemplate(KvClient kv, RaftxClusterOperations cluster) {
        super(kv, cluster, RaftxValueSerializer.string());
    }

    public StringRaftxTemplate(KvClient kv, RaftxClusterOperations cluster, VolatileClient volatiles,
                               RaftxRequestObserver observer, Executor asyncExecutor) {
        super(kv, cluster, volatiles, RaftxValueSerializer.string(), observer, asyncExecutor);
    }

    public StringRaftxTemplate(KvClient kv, RaftxClusterOperations cluster, VolatileClient volatiles,
                               RaftxRequestObserver observer, Executor asyncExecutor, RaftxCoordination coordination,
                               ObservationRegistry observations) {
        super(kv, cluster, volatiles, RaftxValueSerializer.string(), observer, asyncExecutor, coordination,
                observations);
    }
}
