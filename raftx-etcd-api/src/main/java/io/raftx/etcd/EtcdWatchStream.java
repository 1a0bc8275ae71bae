package io.raftx.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.raftx.kv.KeyRange;
import io.raftx.kv.watch.CompactedException;
import io.raftx.kv.watch.Watch;
import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchHub;
import io.raftx.kv.watch.WatchListener;
import io.raftx.kv.watch.WatchOverflow;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One etcd watch stream: many watches, each on a key or a range, created, cancelled and asked for progress by the
 * client. Events arrive from the hub in revision order (one response per event); a start revision older than the
 * hub's retained history gets etcd's answer, a response with {@code compact_revision} that cancels the watch.
 */
final class EtcdWatchStream implements StreamObserver<WatchRequest> {

    /** etcd's watch id for responses not about one watch (progress requests). */
    private static final long NO_WATCH = -1;

    private final WatchHub hub;
    private final EtcdHeaders headers;
    private final StreamObserver<WatchResponse> out;
    private final Consumer<EtcdWatchStream> onClose;
    private final Map<Long, Registration> watches = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile boolean closed;

    EtcdWatchStream(WatchHub hub, EtcdHeaders headers, StreamObserver<WatchResponse> out,
                    Consumer<EtcdWatchStream> onClose) {
        this.hub = hub;
        this.headers = headers;
        this.out = out;
        this.onClose = onClose;
    }

    /** One watch of this stream. */
    private final class Registration implements WatchListener {
        final long id;
        final byte[] key;
        final KeyRange range; // null: the single key
        final boolean noPut;
        final boolean noDelete;
        final boolean prevKv;
        final boolean progressNotify;
        volatile Watch watch;
        volatile boolean sentSinceProgress;

        Registration(long id, WatchCreateRequest r) {
            this.id = id;
            this.key = r.getKey().toByteArray();
            this.range = RangeQuery.keys(r.getKey(), r.getRangeEnd());
            this.noPut = r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
            this.noDelete = r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
            this.prevKv = r.getPrevKv();
            this.progressNotify = r.getProgressNotify();
        }

        boolean selects(byte[] k) {
            return range == null ? Arrays.equals(k, key) : range.contains(k);
        }

        @Override
        public void onEvent(WatchEvent e) {
            boolean put = e.type() == WatchEvent.Type.PUT;
            if (!selects(e.key()) || (put && noPut) || (!put && noDelete)) {
                return;
            }
            sentSinceProgress = true;
            send(WatchResponse.newBuilder().setHeader(headers.at(e.revision())).setWatchId(id)
                    .addEvents(toEvent(e, prevKv)).build());
        }

        @Override
        public void onOverflow(WatchOverflow overflow) {
            watches.remove(id);
            send(WatchResponse.newBuilder().setHeader(headers.at(overflow.lastDeliveredRevision())).setWatchId(id)
                    .setCanceled(true).setCancelReason("RaftX: the watcher fell more than " + overflow.queueCapacity()
                            + " events behind; watch again from revision " + (overflow.lastDeliveredRevision() + 1))
                    .build());
        }
    }

    @Override
    public void onNext(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(request.getCreateRequest());
            case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
            case PROGRESS_REQUEST -> send(WatchResponse.newBuilder().setWatchId(NO_WATCH)
                    .setHeader(headers.at(progressRevision())).build());
            default -> { } // an empty request: nothing to do, as in etcd
        }
    }

    private void create(WatchCreateRequest r) {
        long id = nextId.getAndIncrement();
        if (r.getKey().isEmpty()) {
            send(WatchResponse.newBuilder().setHeader(headers.at(hub.lastRevision())).setWatchId(id).setCreated(true)
                    .setCanceled(true).setCancelReason("etcdserver: key is not provided").build());
            return;
        }
        Registration reg = new Registration(id, r);
        watches.put(id, reg);
        // The created response goes out before any event: the hub delivers on its own threads, so register under the
        // stream's send lock.
        synchronized (out) {
            send(WatchResponse.newBuilder().setHeader(headers.at(hub.lastRevision())).setWatchId(id).setCreated(true)
                    .build());
            try {
                reg.watch = r.getStartRevision() > 0 ? hub.watch("**", r.getStartRevision(), reg) : hub.watch("**", reg);
            } catch (CompactedException e) {
                watches.remove(id);
                send(WatchResponse.newBuilder().setHeader(headers.at(hub.lastRevision())).setWatchId(id)
                        .setCanceled(true).setCompactRevision(e.oldestRetainedRevision() - 1)
                        .setCancelReason(EtcdErrors.COMPACTED).build());
            }
        }
    }

    private void cancel(long id) {
        Registration reg = watches.remove(id);
        if (reg != null && reg.watch != null) {
            reg.watch.cancel();
        }
        send(WatchResponse.newBuilder().setHeader(headers.at(hub.lastRevision())).setWatchId(id).setCanceled(true)
                .build());
    }

    /** The revision every watch of this stream has been sent everything through. */
    private long progressRevision() {
        long revision = hub.lastRevision();
        for (Registration reg : watches.values()) {
            if (reg.watch != null) {
                revision = Math.min(revision, reg.watch.deliveredThrough());
            }
        }
        return revision;
    }

    /** Timer: a progress notification to each progress_notify watch that had no event since the last one. */
    void notifyProgress() {
        for (Registration reg : watches.values()) {
            if (reg.progressNotify && reg.watch != null) {
                if (!reg.sentSinceProgress) {
                    send(WatchResponse.newBuilder().setWatchId(reg.id)
                            .setHeader(headers.at(reg.watch.deliveredThrough())).build());
                }
                reg.sentSinceProgress = false;
            }
        }
    }

    static Event toEvent(WatchEvent e, boolean withPrevious) {
        ByteString key = ByteString.copyFrom(e.key());
        WatchEvent.KeyMeta m = e.meta();
        Event.Builder b = Event.newBuilder();
        if (e.type() == WatchEvent.Type.PUT) {
            b.setType(Event.EventType.PUT).setKv(KeyValue.newBuilder().setKey(key).setValue(ByteString.copyFrom(e.value()))
                    .setCreateRevision(m.createRevision()).setModRevision(e.revision()).setVersion(m.version()));
            if (withPrevious && e.previousValue() != null) {
                b.setPrevKv(KeyValue.newBuilder().setKey(key).setValue(ByteString.copyFrom(e.previousValue()))
                        .setCreateRevision(m.createRevision()).setModRevision(m.previousModRevision())
                        .setVersion(m.version() - 1));
            }
        } else {
            b.setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder().setKey(key).setModRevision(e.revision()));
            if (withPrevious && e.previousValue() != null) {
                b.setPrevKv(KeyValue.newBuilder().setKey(key).setValue(ByteString.copyFrom(e.previousValue()))
                        .setCreateRevision(m.createRevision()).setModRevision(m.previousModRevision())
                        .setVersion(m.version()));
            }
        }
        return b.build();
    }

    private void send(WatchResponse response) {
        synchronized (out) {
            if (!closed) {
                try {
                    out.onNext(response);
                } catch (RuntimeException e) {
                    close(); // the client went away
                }
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onCompleted() {
        close();
        synchronized (out) {
            try {
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        }
    }

    private void close() {
        closed = true;
        watches.values().forEach(reg -> {
            if (reg.watch != null) {
                reg.watch.cancel();
            }
        });
        watches.clear();
        onClose.accept(this);
    }
}
