package io.raftx.sample;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.raftx.node.NodeStatus;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Membership;
import io.raftx.raft.Role;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.RaftxInvalidRequestException;
import io.raftx.spring.core.RaftxNoLeaderException;
import io.raftx.spring.core.RaftxNodeUnavailableException;
import io.raftx.spring.core.RaftxNotLeaderException;
import io.raftx.spring.core.RaftxUnknownOutcomeException;
import io.raftx.spring.core.StringRaftxTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Each RaftX failure maps to its status: 400 invalid, 503 not applied, 504 unknown outcome. */
@WebMvcTest(properties = "raftx.enabled=false")
@Import({RecentEvents.class, ErrorMappingTests.MockTemplate.class})
class ErrorMappingTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    StringRaftxTemplate template;

    @Autowired
    RaftxClusterOperations cluster;

    @Test
    void noLeaderIs503() throws Exception {
        given(template.set(anyString(), anyString())).willThrow(new RaftxNoLeaderException("set 'k' failed: no leader", null));
        mvc.perform(put("/kv/k").contentType(MediaType.TEXT_PLAIN).content("v"))
                .andExpect(status().isServiceUnavailable()).andExpect(jsonPath("$.error").value("set 'k' failed: no leader"));
    }

    @Test
    void shuttingDownIs503() throws Exception {
        given(template.get(anyString(), any(ReadConsistency.class)))
                .willThrow(new RaftxNodeUnavailableException("node stopped", null));
        mvc.perform(get("/kv/k")).andExpect(status().isServiceUnavailable());
    }

    @Test
    void notTheLeaderIs503() throws Exception {
        willThrow(new RaftxNotLeaderException("ask n2", "n2")).given(cluster)
                .transferLeadership("n3");
        mvc.perform(post("/cluster/leader").param("to", "n3")).andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error").value("ask n2"));
    }

    @Test
    void addsAndRemovesMembers() throws Exception {
        given(cluster.status()).willReturn(new NodeStatus("n1", Role.LEADER, 2, "n1", 9,
                9, 9, Membership.ofVoters(List.of("n1", "n4")), 200));
        mvc.perform(post("/cluster/members").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\":\"n4\",\"address\":\"127.0.0.1:7104\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.nodeId").value("n1"));
        verify(cluster).addMember("n4", "127.0.0.1:7104");
        mvc.perform(delete("/cluster/members/n4"))
                .andExpect(status().isOk());
        verify(cluster).removeMember("n4");
    }

    @Test
    void unknownOutcomeIs504() throws Exception {
        given(template.delete(anyString())).willThrow(new RaftxUnknownOutcomeException("timed out", null));
        mvc.perform(delete("/kv/k"))
                .andExpect(status().isGatewayTimeout()).andExpect(jsonPath("$.error").value("timed out"));
    }

    @Test
    void invalidRequestIs400() throws Exception {
        given(template.compareAndSet(anyString(), any(), anyString()))
                .willThrow(new RaftxInvalidRequestException("value too large", null));
        mvc.perform(post("/kv/k/cas").contentType(MediaType.TEXT_PLAIN).content("v"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("value too large"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class MockTemplate {
        @Bean
        RaftxClusterOperations cluster() {
            return mock(RaftxClusterOperations.class);
        }

        @Bean
        StringRaftxTemplate template(RaftxClusterOperations cluster) {
            StringRaftxTemplate template = mock(StringRaftxTemplate.class);
            given(template.opsForCluster()).willReturn(cluster);
            return template;
        }
    }
}
