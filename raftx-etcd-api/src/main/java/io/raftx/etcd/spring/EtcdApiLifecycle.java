package io.raftx.etcd.spring;

import io.raftx.etcd.EtcdApiServer;
import io.raftx.spring.autoconfigure.RaftxNodeLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Opens the etcd client port once the node runs and closes it before the node stops. */
public class EtcdApiLifecycle implements SmartLifecycle {

    public static final int PHASE = RaftxNodeLifecycle.PHASE + 1;

    private static final Logger log = LoggerFactory.getLogger(EtcdApiLifecycle.class);

    private final EtcdApiServer server;
    private volatile boolean running;

    public EtcdApiLifecycle(EtcdApiServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        server.start();
        running = true;
        log.info("etcd v3 API listening on {}", server.address());
    }

    @Override
    public void stop() {
        running = false;
        server.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
