package io.raftx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.GrpcPorts;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Error answers through the real servlet container (Tomcat), where some requests never reach a controller: every
 * one is JSON {@code {"error": ...}} with a 4xx status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorAnswersOverHttpTests {

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    RaftNode node;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        int peerPort = GrpcPorts.free();
        registry.add("raftx.node-id", () -> "n1");
        registry.add("raftx.address", () -> "127.0.0.1:" + peerPort);
        registry.add("raftx.data-dir", () -> dataDir.resolve("n1").toString());
        registry.add("raftx.timing.tick", () -> "10ms");
    }

    @BeforeEach
    void awaitLeader() {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.status().role() == Role.LEADER);
    }

    @Test
    void anEmptyKeyIsABadRequest() throws Exception {
        for (String path : new String[] {"/kv/", "/kv", "/volatile/"}) {
            assertJsonError(send("PUT", path, "v"), 400, "the key is missing");
        }
        assertJsonError(send("DELETE", "/kv/", null), 400, "the key is missing");
    }

    @Test
    void anEncodedSlashIsPartOfTheKey() throws Exception {
        assertThat(send("PUT", "/kv/dir%2Fname", "v").statusCode()).isEqualTo(200);
        HttpResponse<String> read = send("GET", "/kv/dir%2Fname", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("v");
        assertThat(send("GET", "/kv?prefix=dir", null).body()).contains("\"dir/name\":\"v\"");
    }

    @Test
    void malformedBodiesAndParametersAreBadRequests() throws Exception {
        HttpResponse<String> notJson = send("POST", "/cluster/members", "{\"id\": ", "application/json");
        assertJsonError(notJson, 400, "the request body could not be read");
        assertJsonError(send("POST", "/cluster/members", "{\"id\": \"n4\"}", "application/json"), 400,
                "both fields set");
        assertJsonError(send("GET", "/kv/a?consistency=sometimes", null), 400, "consistency must be");
        assertJsonError(send("PUT", "/volatile/x?ttl=soon", "v"), 400, "ttl must be a duration");
    }

    @Test
    void anOverlongTtlIsABadRequestNotAnUnknownOutcome() throws Exception {
        assertJsonError(send("PUT", "/volatile/x?ttl=99999999999d", "v"), 400, "ttl must be at most");
    }

    @Test
    void errorsOutsideTheControllersAreJsonToo() throws Exception {
        assertJsonError(send("GET", "/no/such/thing", null), 404, "");
        // An encoded NUL is refused by Tomcat before any controller runs.
        assertJsonError(send("GET", "/kv/a%00b", null), 400, "");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, "text/plain");
    }

    private HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String contains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":").contains(contains);
    }
}
