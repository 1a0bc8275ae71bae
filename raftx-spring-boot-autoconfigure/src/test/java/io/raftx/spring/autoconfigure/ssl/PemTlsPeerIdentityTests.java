package io.raftx.spring.autoconfigure.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import io.raftx.spring.RaftxTestSupport;
import io.raftx.spring.core.StringRaftxTemplate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Three members with mutual TLS from the PEM shortcut ({@code raftx.transport.tls.*}). n1 and n2 present certificates
 * naming them (URI SAN raftx://node/n1, raftx://node/n2); n3's certificate is signed by a trusted key but names n1.
 * n1 and n2 form the cluster and serve writes; n3 is refused by both, which count it in
 * {@code raftx.transport.identity.refused}, and never learns of the writes.
 */
class PemTlsPeerIdentityTests {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private final Map<String, String> members = new LinkedHashMap<>();
    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aMemberWhoseCertificateNamesAnotherNodeIsRefusedAndCounted() throws Exception {
        generate("n1", "n1");
        generate("n2", "n2");
        generate("n3", "n1"); // n3's certificate claims to be n1
        Files.writeString(dir.resolve("trust.pem"), Files.readString(dir.resolve("n1.crt"))
                + Files.readString(dir.resolve("n2.crt")) + Files.readString(dir.resolve("n3.crt")));
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        for (String id : members.keySet()) {
            nodes.put(id, start(id));
        }
        String leader = await().atMost(Duration.ofSeconds(30)).until(() -> nodes.values().stream()
                .map(c -> c.getBean(RaftNode.class).status())
                .filter(s -> s != null && s.role() == Role.LEADER).map(s -> s.nodeId()).findFirst().orElse(null),
                id -> id != null);
        assertThat(leader).isIn("n1", "n2");
        nodes.get("n1").getBean(StringRaftxTemplate.class).set("pem.identity", "1");
        assertThat(nodes.get("n2").getBean(StringRaftxTemplate.class).get("pem.identity",
                ReadConsistency.LINEARIZABLE)).contains("1");

        await().atMost(Duration.ofSeconds(20)).until(() -> identityRefused("n1") + identityRefused("n2") > 0);
        assertThat(nodes.get("n3").getBean(StringRaftxTemplate.class).get("pem.identity", ReadConsistency.LOCAL))
                .as("n3 never received the write").isEmpty();
        assertThat(identityRefused("n3")).as("n3 has nothing against the others' certificates").isZero();
    }

    private double identityRefused(String id) {
        return nodes.get(id).getBean(MeterRegistry.class).get("raftx.transport.identity.refused").functionCounter()
                .count();
    }

    private ConfigurableApplicationContext start(String id) {
        List<String> properties = new java.util.ArrayList<>(List.of("raftx.node-id=" + id,
                "raftx.data-dir=" + dir.resolve("data").resolve(id), "raftx.timing.tick=20ms",
                "spring.main.banner-mode=off",
                "raftx.transport.tls.certificate-chain=" + dir.resolve(id + ".crt"),
                "raftx.transport.tls.private-key=" + dir.resolve(id + ".key"),
                "raftx.transport.tls.trust-certificates=" + dir.resolve("trust.pem")));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(PemTlsApp.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    /** A self-signed EC certificate name.crt/.key (PKCS#8), SANs IP 127.0.0.1 and raftx://node/{@code nodeId}. */
    private void generate(String name, String nodeId) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=raftx-" + name,
                "-ext", "SAN=ip:127.0.0.1,uri:raftx://node/" + nodeId, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(output).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", ks.getCertificate("node").getEncoded()));
        Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY",
                ks.getKey("node", PASSWORD.toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PemTlsApp {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
