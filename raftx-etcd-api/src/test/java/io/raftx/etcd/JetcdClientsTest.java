package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * jetcd's own KV, Watch, Lease, Cluster and Maintenance clients (not the generated stubs the other tests use) against
 * three RaftX nodes: what an application that already talks to etcd through jetcd gets.
 */
class JetcdClientsTest extends JetcdClusterTest {

    @Test
    void kvPutsGetsRangesPastRevisionsAndDeletes() throws Exception {
        long first = etcd.getKVClient().put(bytes("jc.kv.a"), bytes("1")).get(10, TimeUnit.SECONDS)
                .getHeader().getRevision();
        etcd.getKVClient().put(bytes("jc.kv.b"), bytes("2")).get(10, TimeUnit.SECONDS);
        etcd.getKVClient().put(bytes("jc.kv.a"), bytes("3")).get(10, TimeUnit.SECONDS);

        GetResponse prefix = etcd.getKVClient().get(bytes("jc.kv."), GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS);
        assertThat(prefix.getKvs()).extracting(kv -> text(kv.getKey()) + "=" + text(kv.getValue()))
                .containsExactly("jc.kv.a=3", "jc.kv.b=2");
        assertThat(prefix.getKvs().get(0).getVersion()).isEqualTo(2);

        GetResponse past = etcd.getKVClient().get(bytes("jc.kv.a"), GetOption.builder().withRevision(first).build())
                .get(10, TimeUnit.SECONDS);
        assertThat(past.getKvs()).extracting(kv -> text(kv.getValue())).containsExactly("1");

        long deleted = etcd.getKVClient().delete(bytes("jc.kv."),
                io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS)
                .getDeleted();
        assertThat(deleted).isEqualTo(2);
        assertThat(etcd.getKVClient().get(bytes("jc.kv.a")).get(10, TimeUnit.SECONDS).getKvs()).isEmpty();
    }

    @Test
    void watchSeesPutsAndDeletesInRevisionOrder() throws Exception {
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (Watch.Watcher watcher = etcd.getWatchClient().watch(bytes("jc.watch."),
                WatchOption.builder().isPrefix(true).build(), response -> events.addAll(response.getEvents()))) {
            // the watch is registered once its stream answered; a put after that must be seen
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                etcd.getKVClient().put(bytes("jc.watch.ready"), bytes("x")).get(10, TimeUnit.SECONDS);
                return !events.isEmpty();
            });
            events.clear();
            etcd.getKVClient().put(bytes("jc.watch.k"), bytes("v1")).get(10, TimeUnit.SECONDS);
            etcd.getKVClient().put(bytes("jc.watch.k"), bytes("v2")).get(10, TimeUnit.SECONDS);
            etcd.getKVClient().delete(bytes("jc.watch.k")).get(10, TimeUnit.SECONDS);

            List<String> seen = new java.util.ArrayList<>();
            long lastRevision = 0;
            while (seen.size() < 3) {
                WatchEvent e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("events so far: %s", seen).isNotNull();
                if (!text(e.getKeyValue().getKey()).equals("jc.watch.k")) {
                    continue;
                }
                assertThat(e.getKeyValue().getModRevision()).isGreaterThan(lastRevision);
                lastRevision = e.getKeyValue().getModRevision();
                seen.add(e.getEventType() + (e.getEventType() == WatchEvent.EventType.PUT
                        ? ":" + text(e.getKeyValue().getValue()) : ""));
            }
            assertThat(seen).containsExactly("PUT:v1", "PUT:v2", "DELETE");
        }
    }

    @Test
    void leaseGrantAttachTimeToLiveKeepAliveAndRevoke() throws Exception {
        long lease = etcd.getLeaseClient().grant(60).get(10, TimeUnit.SECONDS).getID();
        etcd.getKVClient().put(bytes("jc.lease.k"), bytes("v"), PutOption.builder().withLeaseId(lease).build())
                .get(10, TimeUnit.SECONDS);
        LeaseTimeToLiveResponse ttl = etcd.getLeaseClient().timeToLive(lease, LeaseOption.builder().withAttachedKeys()
                .build()).get(10, TimeUnit.SECONDS);
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getKeys()).extracting(JetcdClientsTest::text).containsExactly("jc.lease.k");
        assertThat(etcd.getLeaseClient().keepAliveOnce(lease).get(10, TimeUnit.SECONDS).getTTL()).isEqualTo(60);

        etcd.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);
        assertThat(etcd.getKVClient().get(bytes("jc.lease.k")).get(10, TimeUnit.SECONDS).getKvs()).isEmpty();
        assertThatThrownBy(() -> etcd.getLeaseClient().keepAliveOnce(lease).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("requested lease not found");
    }

    @Test
    void clusterListsTheMembersAndMaintenanceReportsEachNodesStatus() throws Exception {
        List<Member> members = etcd.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getMembers();
        assertThat(members).extracting(Member::getName).containsExactlyInAnyOrderElementsOf(cluster.ids());

        java.util.Set<Long> memberIds = new java.util.HashSet<>();
        java.util.Set<Long> leaders = new java.util.HashSet<>();
        for (String id : cluster.ids()) {
            StatusResponse status = etcd.getMaintenanceClient().statusMember("http://" + cluster.clientAddress(id))
                    .get(10, TimeUnit.SECONDS);
            assertThat(status.getDbSize()).isPositive();
            assertThat(status.getRaftIndex()).isPositive();
            memberIds.add(status.getHeader().getMemberId());
            leaders.add(status.getLeader());
        }
        assertThat(memberIds).hasSize(3);
        assertThat(leaders).as("the leader every node names").hasSize(1);
        assertThat(memberIds).containsAll(leaders);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
