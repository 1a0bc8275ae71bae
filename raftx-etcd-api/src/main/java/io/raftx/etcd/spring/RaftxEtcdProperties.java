package io.raftx.etcd.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code raftx.etcd.*}: the etcd v3 API of this application's RaftX node. */
@ConfigurationProperties("raftx.etcd")
public class RaftxEtcdProperties {

    /**
     * Client address (host:port) on which this node serves the etcd v3 API, e.g. 127.0.0.1:2379. Unset: no etcd API.
     */
    private String address;

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }
}
