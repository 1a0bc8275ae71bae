package io.raftx.etcd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * etcd names members and clusters by 64-bit ids; RaftX by node-id strings. A member's etcd id is the first 8 bytes
 * of the SHA-256 of its node id, so every node computes the same id for a member without storing a mapping.
 */
record EtcdIds(long clusterId, long memberId) {

    /** One cluster id for every RaftX cluster: clients only compare it between responses. */
    static final long CLUSTER_ID = 0x7261667478L;

    static EtcdIds of(String nodeId) {
        return new EtcdIds(CLUSTER_ID, memberId(nodeId));
    }

    static long memberId(String nodeId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(nodeId.getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (d[i] & 0xff);
            }
            return id == 0 ? 1 : id; // 0 means "no member" in etcd's messages
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
