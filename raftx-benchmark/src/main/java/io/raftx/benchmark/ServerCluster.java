package io.raftx.benchmark;

import java.util.List;

/** A cluster of server processes on loopback that clients reach through the etcd v3 API. */
interface ServerCluster extends AutoCloseable {

    /** host:port of each member's etcd v3 client endpoint. */
    List<String> clientEndpoints();

    /** The member processes, for CPU accounting ({@link ProcCpu}) and fault injection. */
    List<Process> processes();

    @Override
    void close();
}
