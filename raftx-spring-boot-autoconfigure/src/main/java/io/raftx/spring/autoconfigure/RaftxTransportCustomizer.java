package io.raftx.spring.autoconfigure;

import io.raftx.transport.TransportConfig;

/** Adjusts the gRPC peer transport's settings (vote timeout, reconnect backoff) beyond the properties. */
@FunctionalInterface
public interface RaftxTransportCustomizer {

    void customize(TransportConfig.Builder builder);
}
