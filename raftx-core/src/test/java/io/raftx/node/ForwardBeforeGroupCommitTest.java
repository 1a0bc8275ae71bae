package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.raft.Role;
import io.raftx.storage.FaultyStorage;
import io.raftx.storage.MemoryRaftStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower sends the requests it forwards before its own group commit, which they do not depend on: a slow fsync
 * on a follower does not delay the writes its clients send through it. The follower's commits stall here; a request
 * that arrives while one stalls must reach the leader and be applied while the follower's next commit is still
 * stalling.
 */
class ForwardBeforeGroupCommitTest {

    private static final Duration STALL = Duration.ofSeconds(2);

    private final LocalTransport.Hub hub = new LocalTransport.Hub();
    private final List<String> ids = List.of("n1", "n2", "n3");
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, FaultyStorage> storages = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        storages.values().forEach(s -> s.stallCommits(Duration.ZERO));
        nodes.values().forEach(RaftNode::close);
        hub.executor.shutdownNow();
    }

    @Test
    void forwardLeavesWhileTheFollowersGroupCommitStalls() throws Exception {
        for (String id : ids) {
            FaultyStorage storage = new FaultyStorage(new MemoryRaftStorage());
            storages.put(id, storage);
            RaftNode node = new RaftNode(NodeConfig.of(id, ids).withTick(Duration.ofMillis(20))
                    .withRequestTimeout(Duration.ofSeconds(60)), storage, hub.join(id),
                    new RaftNodeTest.ListMachine());
            nodes.put(id, node);
            node.start();
        }
        RaftNode leader = await().atMost(Duration.ofSeconds(20)).until(() -> nodes.values().stream()
                .filter(n -> n.status().role() == Role.LEADER).findFirst().orElse(null), l -> l != null);
        long warm = leader.propose(bytes("warm")).get(20, TimeUnit.SECONDS).index();
        RaftNode follower = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
        FaultyStorage followerStorage = storages.get(follower.id());
        // the follower has stored and applied everything so far: no commit of its own is under way
        await().atMost(Duration.ofSeconds(20)).until(() -> follower.status().appliedIndex() >= warm
                && follower.status().lastIndex() == warm && leader.id().equals(follower.status().leaderId()));

        followerStorage.stallCommits(STALL);
        int before = followerStorage.commits();
        leader.propose(bytes("a")); // the follower's loop stalls in the commit of "a"
        Thread.sleep(STALL.toMillis() / 4);
        CompletableFuture<Applied> viaFollower = follower.propose(bytes("b")); // queued behind the stalled commit
        leader.propose(bytes("c")); // its append lands in the same loop pass as "b": another stalled commit

        Applied applied = viaFollower.get(20, TimeUnit.SECONDS);
        assertThat(applied.index()).isPositive();
        assertThat(followerStorage.commits())
                .as("'b' was applied (by the leader and the other follower) while the follower's commit of 'c' still"
                        + " stalled: only the commit of 'a' had finished")
                .isEqualTo(before + 1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
