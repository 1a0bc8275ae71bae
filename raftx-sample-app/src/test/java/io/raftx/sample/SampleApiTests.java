package io.raftx.sample;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.raftx.node.GrpcPorts;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The sample REST API (src-docs/sample-api.md) against a real single-node cluster: every endpoint and its status codes. */
@SpringBootTest
@AutoConfigureMockMvc
class SampleApiTests {

    @TempDir
    static Path dataDir;

    @Autowired
    MockMvc mvc;

    @Autowired
    RaftNode node;

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        int port = GrpcPorts.free();
        registry.add("raftx.node-id", () -> "n1");
        registry.add("raftx.address", () -> "127.0.0.1:" + port);
        registry.add("raftx.data-dir", () -> dataDir.resolve("n1").toString());
        registry.add("raftx.timing.tick", () -> "10ms");
        registry.add("raftx.limits.max-key-size", () -> "64B");
    }

    @BeforeEach
    void awaitLeader() {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
    }

    @Test
    void putGetAndDeleteAKey() throws Exception {
        mvc.perform(put("/kv/app.color").contentType(MediaType.TEXT_PLAIN).content("blue"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.revision").value(greaterThan(0)));
        mvc.perform(get("/kv/app.color")).andExpect(status().isOk()).andExpect(content().string("blue"));
        for (String consistency : new String[] {"linearizable", "lease", "local", "LOCAL"}) {
            mvc.perform(get("/kv/app.color").param("consistency", consistency))
                    .andExpect(status().isOk()).andExpect(content().string("blue"));
        }
        mvc.perform(delete("/kv/app.color")).andExpect(status().isOk()).andExpect(jsonPath("$.deleted").value(true));
        mvc.perform(delete("/kv/app.color")).andExpect(status().isOk()).andExpect(jsonPath("$.deleted").value(false));
        mvc.perform(get("/kv/app.color")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error").value("key 'app.color' not found"));
    }

    @Test
    void acceptsFormEncodedBodiesAsPlainValues() throws Exception {
        // What `curl -X PUT -d hello ...` sends.
        mvc.perform(put("/kv/app.form").contentType(MediaType.APPLICATION_FORM_URLENCODED).content("hello"))
                .andExpect(status().isOk());
        mvc.perform(get("/kv/app.form")).andExpect(content().string("hello"));
        mvc.perform(post("/kv/app.form/cas").param("expected", "hello")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("world"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.succeeded").value(true));
        mvc.perform(get("/kv/app.form")).andExpect(content().string("world"));
    }

    @Test
    void compareAndSet() throws Exception {
        mvc.perform(post("/kv/app.cas/cas").contentType(MediaType.TEXT_PLAIN).content("v1"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.succeeded").value(true));
        mvc.perform(post("/kv/app.cas/cas").contentType(MediaType.TEXT_PLAIN).content("v1"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.succeeded").value(false));
        mvc.perform(post("/kv/app.cas/cas").param("expected", "v1").contentType(MediaType.TEXT_PLAIN).content("v2"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.succeeded").value(true));
        mvc.perform(post("/kv/app.cas/cas").param("expected", "v1").contentType(MediaType.TEXT_PLAIN).content("v3"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.succeeded").value(false));
        mvc.perform(get("/kv/app.cas")).andExpect(content().string("v2"));
    }

    @Test
    void scansByPrefix() throws Exception {
        mvc.perform(put("/kv/scan.a").contentType(MediaType.TEXT_PLAIN).content("1"));
        mvc.perform(put("/kv/scan.b").contentType(MediaType.TEXT_PLAIN).content("2"));
        mvc.perform(put("/kv/other").contentType(MediaType.TEXT_PLAIN).content("3"));
        mvc.perform(get("/kv").param("prefix", "scan.")).andExpect(status().isOk())
                .andExpect(content().json("{\"scan.a\":\"1\",\"scan.b\":\"2\"}", org.springframework.test.json.JsonCompareMode.STRICT));
    }

    @Test
    void rejectsBadInputWith400() throws Exception {
        mvc.perform(put("/kv/" + "k".repeat(65)).contentType(MediaType.TEXT_PLAIN).content("v"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value(containsString("maxKeyBytes")));
        mvc.perform(get("/kv/app.x").param("consistency", "eventual")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(containsString("linearizable, lease or local")));
    }

    @Test
    void keepsVolatileKeysWithTtls() throws Exception {
        mvc.perform(put("/volatile/session.a").param("ttl", "PT30S").contentType(MediaType.TEXT_PLAIN).content("v"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.revision").value(greaterThan(0)));
        mvc.perform(get("/volatile/session.a")).andExpect(status().isOk()).andExpect(content().string("v"));
        mvc.perform(get("/volatile/session.a").param("consistency", "local")).andExpect(content().string("v"));
        mvc.perform(get("/kv/session.a")).andExpect(status().isNotFound()); // a keyspace of its own
        mvc.perform(put("/volatile/session.short").param("ttl", "100ms").content("x")).andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> mvc.perform(get("/volatile/session.short"))
                .andExpect(status().isNotFound()));
        mvc.perform(delete("/volatile/session.a")).andExpect(status().isOk())
                .andExpect(jsonPath("$.deleted").value(true));
        mvc.perform(delete("/volatile/session.a")).andExpect(jsonPath("$.deleted").value(false));
        mvc.perform(get("/volatile/session.a")).andExpect(status().isNotFound()).andExpect(jsonPath("$.error").exists());
        mvc.perform(put("/volatile/session.b").param("ttl", "soon").content("v")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(containsString("ttl")));
    }

    @Test
    void showsTheCluster() throws Exception {
        mvc.perform(get("/cluster")).andExpect(status().isOk())
                .andExpect(jsonPath("$.nodeId").value("n1")).andExpect(jsonPath("$.role").value("LEADER"))
                .andExpect(jsonPath("$.leaderId").value("n1")).andExpect(jsonPath("$.term").value(greaterThan(0)))
                .andExpect(jsonPath("$.members.n1").exists()).andExpect(jsonPath("$.commitIndex").exists())
                .andExpect(jsonPath("$.appliedIndex").exists());
    }

    @Test
    void transfersLeadershipAndChecksMembershipChanges() throws Exception {
        mvc.perform(post("/cluster/leader").param("to", "n1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.leaderId").value("n1"));
        mvc.perform(post("/cluster/leader").param("to", "n9")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(containsString("not a voter")));
        mvc.perform(post("/cluster/leader")).andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").exists());
        mvc.perform(post("/cluster/members").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\":\"n1\",\"address\":\"127.0.0.1:7104\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value(containsString("already")));
        mvc.perform(post("/cluster/members").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\":\"n4\",\"address\":\"no-port\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value(containsString("address")));
        mvc.perform(post("/cluster/members").contentType(MediaType.APPLICATION_JSON).content("not json"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").exists());
        mvc.perform(delete("/cluster/members/n9")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(containsString("not a member")));
    }

    @Test
    void listsTheEventsTheWatcherReceived() throws Exception {
        mvc.perform(put("/kv/events.k").contentType(MediaType.TEXT_PLAIN).content("seen"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> mvc.perform(get("/events"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.key == 'events.k')].value").value("seen"))
                .andExpect(jsonPath("$[?(@.key == 'events.k')].type").value("PUT")));
    }

    @Test
    void exposesHealthAndPrometheus() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.raftx.status").value("UP"))
                .andExpect(jsonPath("$.components.raftx.details.role").value("LEADER"));
        mvc.perform(put("/kv/metrics.k").contentType(MediaType.TEXT_PLAIN).content("v"));
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andExpect(content().string(containsString("raftx_term{")))
                .andExpect(content().string(containsString("raftx_proposals_seconds_count{")));
        mvc.perform(get("/actuator/raftx")).andExpect(status().isOk()).andExpect(jsonPath("$.nodeId").value("n1"));
    }

    @Test
    void unknownPathsAnswer404AsJson() throws Exception {
        mvc.perform(get("/nothing-here")).andExpect(status().isNotFound()).andExpect(jsonPath("$.error").exists());
    }
}
