package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's request size limit: a larger request is refused before any service sees it, and nothing is written. */
class RequestSizeLimitTest {

    @TempDir
    Path dir;

    @Test
    void aRequestAboveTheLimitIsRefusedAndWritesNothing() throws Exception {
        try (EtcdTestCluster cluster = new EtcdTestCluster(dir, s -> s.withMaxRequestBytes(1024))) {
            cluster.awaitWritable();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> kv.put(put("big", 2048)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: request is too large");
                    });
            assertThat(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("big")).build()).getCount())
                    .isZero();

            kv.put(put("small", 512));
            assertThat(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("small")).build())
                    .getCount()).isEqualTo(1);
        }
    }

    private static PutRequest put(String key, int valueBytes) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFrom(new byte[valueBytes])).build();
    }
}
