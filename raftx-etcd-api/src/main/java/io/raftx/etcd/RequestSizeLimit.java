package io.raftx.etcd;

import com.google.protobuf.MessageLite;
import io.grpc.Status;

/**
 * etcd's request size limit: a request message above {@code maxBytes} is refused with
 * {@code INVALID_ARGUMENT "etcdserver: request is too large"} before any service sees it.
 */
final class RequestSizeLimit extends MessageCheck {

    private final int maxBytes;

    RequestSizeLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    Status refusal(Object message) {
        return message instanceof MessageLite m && m.getSerializedSize() > maxBytes
                ? Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large") : null;
    }
}
