package io.raftx.etcd;

import static io.raftx.etcd.EtcdKvServiceTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** etcd's Watch service on a follower of a 3-node RaftX cluster, written through the leader, over real gRPC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdWatchServiceTest {

    @TempDir
    static Path dir;
    EtcdTestCluster cluster;
    KVGrpc.KVBlockingStub kv;
    String follower;
    final List<StreamObserver<WatchRequest>> streams = new ArrayList<>();

    @BeforeAll
    void start() {
        cluster = new EtcdTestCluster(dir);
        cluster.awaitWritable();
        kv = KVGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()));
        follower = cluster.aFollower();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(StreamObserver::onCompleted);
        streams.clear();
    }

    @AfterAll
    void stop() throws InterruptedException {
        cluster.close();
    }

    /** A watch stream on the follower whose responses land in a queue. */
    final class Client {
        final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        final StreamObserver<WatchRequest> requests;

        Client() {
            requests = WatchGrpc.newStub(cluster.channel(follower)).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    responses.add(r);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            streams.add(requests);
        }

        WatchResponse create(WatchCreateRequest.Builder r) throws InterruptedException {
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(r).build());
            WatchResponse created = next();
            assertThat(created.getCreated()).isTrue();
            return created;
        }

        WatchResponse next() throws InterruptedException {
            WatchResponse r = responses.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a watch response within 10 s").isNotNull();
            return r;
        }

        Event nextEvent() throws InterruptedException {
            WatchResponse r = next();
            assertThat(r.getEventsList()).hasSize(1);
            return r.getEvents(0);
        }
    }

    long put(String key, String value) {
        return kv.put(PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).build()).getHeader().getRevision();
    }

    @Test
    void aRangeWatchOnAFollowerSeesEveryChangeInOrderWithMetadataAndPreviousValues() throws Exception {
        Client c = new Client();
        long id = c.create(WatchCreateRequest.newBuilder().setKey(b("w/")).setRangeEnd(b("w0")).setPrevKv(true))
                .getWatchId();
        long first = put("w/a", "1");
        put("other", "x");
        put("w/a", "2");
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("w/a")).build());

        WatchResponse r1 = c.next();
        assertThat(r1.getWatchId()).isEqualTo(id);
        Event e1 = r1.getEvents(0);
        assertThat(e1.getType()).isEqualTo(Event.EventType.PUT);
        assertThat(e1.getKv().getValue().toStringUtf8()).isEqualTo("1");
        assertThat(e1.getKv().getModRevision()).isEqualTo(first);
        assertThat(e1.getKv().getCreateRevision()).isEqualTo(first);
        assertThat(e1.getKv().getVersion()).isEqualTo(1);
        Event e2 = c.nextEvent();
        assertThat(e2.getKv().getVersion()).isEqualTo(2);
        assertThat(e2.getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
        assertThat(e2.getPrevKv().getModRevision()).isEqualTo(first);
        Event e3 = c.nextEvent();
        assertThat(e3.getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(e3.getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
        assertThat(e3.getKv().getModRevision()).isGreaterThan(e2.getKv().getModRevision());
    }

    @Test
    void aStartRevisionReplaysTheRetainedHistoryAndFiltersDropEventTypes() throws Exception {
        long first = put("h/k", "1");
        put("h/k", "2");
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("h/k")).build());
        Client c = new Client();
        c.create(WatchCreateRequest.newBuilder().setKey(b("h/k")).setStartRevision(first));
        assertThat(List.of(c.nextEvent(), c.nextEvent(), c.nextEvent())).extracting(Event::getType)
                .containsExactly(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE);

        Client deletesOnly = new Client();
        deletesOnly.create(WatchCreateRequest.newBuilder().setKey(b("h/k")).setStartRevision(first)
                .addFilters(WatchCreateRequest.FilterType.NOPUT));
        assertThat(deletesOnly.nextEvent().getType()).isEqualTo(Event.EventType.DELETE);
    }

    @Test
    void aWatchFromACompactedRevisionIsCancelledWithTheCompactRevision() throws Exception {
        long old = put("c/k", "1");
        long now = put("c/k", "2");
        KVGrpc.newBlockingStub(cluster.channel(follower)).compact(CompactionRequest.newBuilder().setRevision(now).build());
        Client c = new Client();
        c.create(WatchCreateRequest.newBuilder().setKey(b("c/k")).setStartRevision(old));
        WatchResponse cancelled = c.next();
        assertThat(cancelled.getCanceled()).isTrue();
        assertThat(cancelled.getCompactRevision()).isEqualTo(now);
    }

    @Test
    void progressRequestsAndCancel() throws Exception {
        Client c = new Client();
        long id = c.create(WatchCreateRequest.newBuilder().setKey(b("p/k"))).getWatchId();
        long rev = put("p/k", "1");
        assertThat(c.nextEvent().getKv().getModRevision()).isEqualTo(rev);
        c.requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        WatchResponse progress = c.next();
        assertThat(progress.getEventsList()).isEmpty();
        assertThat(progress.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);

        c.requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
                .build());
        WatchResponse cancelled = c.next();
        assertThat(cancelled.getCanceled()).isTrue();
        assertThat(cancelled.getWatchId()).isEqualTo(id);
        put("p/k", "2");
        assertThat(c.responses.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void manyWatchesShareOneStream() throws Exception {
        Client c = new Client();
        long a = c.create(WatchCreateRequest.newBuilder().setKey(b("m/a"))).getWatchId();
        long bId = c.create(WatchCreateRequest.newBuilder().setKey(b("m/b"))).getWatchId();
        assertThat(a).isNotEqualTo(bId);
        put("m/b", "1");
        put("m/a", "1");
        assertThat(List.of(c.next().getWatchId(), c.next().getWatchId())).containsExactly(bId, a);
    }
}
