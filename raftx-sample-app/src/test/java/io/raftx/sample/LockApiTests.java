package io.raftx.sample;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.raftx.node.GrpcPorts;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.spring.core.StringRaftxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** {@code /locks/{name}} and the one-instance {@code @Scheduled} job, on a single-node cluster. */
@SpringBootTest
@AutoConfigureMockMvc
class LockApiTests {

    @TempDir
    static Path dataDir;

    @Autowired
    MockMvc mvc;

    @Autowired
    RaftNode node;

    @Autowired
    StringRaftxTemplate template;

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        int port = GrpcPorts.free();
        registry.add("raftx.node-id", () -> "n1");
        registry.add("raftx.address", () -> "127.0.0.1:" + port);
        registry.add("raftx.data-dir", () -> dataDir.resolve("n1").toString());
        registry.add("raftx.timing.tick", () -> "10ms");
        registry.add("raftx.coordination.lease", () -> "1s");
        registry.add("sample.report.interval", () -> "100ms");
    }

    @BeforeEach
    void awaitLeader() {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
    }

    @Test
    void acquireInspectAndReleaseALock() throws Exception {
        mvc.perform(post("/locks/jobs.export").param("lease", "5s")).andExpect(status().isOk())
                .andExpect(jsonPath("$.holder").value("n1"))
                .andExpect(jsonPath("$.fencingToken").value(greaterThan(0)));
        mvc.perform(get("/locks/jobs.export")).andExpect(status().isOk())
                .andExpect(jsonPath("$.holder").value("n1"));
        mvc.perform(post("/locks/jobs.export")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value(containsString("not reentrant")));
        mvc.perform(delete("/locks/jobs.export")).andExpect(status().isOk())
                .andExpect(jsonPath("$.released").value(true));
        mvc.perform(get("/locks/jobs.export")).andExpect(status().isOk()).andExpect(jsonPath("$.holder").value(nullValue()));
        mvc.perform(delete("/locks/jobs.export")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value(containsString("does not hold")));
        mvc.perform(post("/locks/jobs.*")).andExpect(status().isBadRequest());
        mvc.perform(post("/locks/jobs.x").param("lease", "0s")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(containsString("lease must be positive")));
        mvc.perform(post("/locks/jobs.x").param("lease", "soon")).andExpect(status().isBadRequest());
    }

    @Test
    void theScheduledJobRunsOnTheElectedInstance() {
        await().atMost(Duration.ofSeconds(10)).until(() -> template.get("report.last-run").isPresent());
        String run = template.get("report.last-run").orElseThrow();
        org.assertj.core.api.Assertions.assertThat(run).startsWith("n1 at ").contains(" token ");
    }
}
