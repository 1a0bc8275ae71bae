package io.raftx.it;

import java.util.Optional;

/**
 * Register operations on one key through one node, for {@link RegisterClient}. Each call either answers or throws
 * {@link io.grpc.StatusRuntimeException}; {@link WriteLedger#isRaftxRefusal} tells a definite refusal from an unknown
 * outcome.
 */
interface RegisterApi {

    void put(String node, String key, String value);

    Optional<String> get(String node, String key);

    void delete(String node, String key);

    /** Sets {@code value} if the key holds {@code expected} ({@code null}: is absent); answers whether it did. */
    boolean compareAndSet(String node, String key, String expected, String value);

    /** Whether {@link #compareAndSet} takes an expected value, or only {@code null} (put if absent). */
    boolean comparesValues();
}
