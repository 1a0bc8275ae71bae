package io.raftx.spring.autoconfigure.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import io.raftx.spring.RaftxTestSupport;
import io.raftx.spring.core.StringRaftxTemplate;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three nodes with mutual TLS from Spring Boot SSL bundles (PKCS#12 files, {@code reload-on-update}). While they
 * run, n1's certificate is replaced and the old one is removed from everyone's trust store. n2 is then restarted
 * and n3 stopped, so n1 and n2 can only form a majority over new handshakes: that works only if the running n1
 * presents its new certificate, i.e. if the transport picked up the reloaded bundle without a restart.
 */
class SslBundleRotationTests {

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
    void aCertificateRotatedWhileTheClusterRunsIsUsedForNewConnections() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String cert : List.of("n1-old", "n1-new", "n2", "n3")) {
            generate(cert);
        }
        Files.copy(dir.resolve("n1-old.p12"), keys.resolve("n1.p12"));
        Files.copy(dir.resolve("n2.p12"), keys.resolve("n2.p12"));
        Files.copy(dir.resolve("n3.p12"), keys.resolve("n3.p12"));
        writeTrustStore(keys.resolve("trust.p12"), "n1-old", "n1-new", "n2", "n3");

        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + RaftxTestSupport.freePort());
        }
        for (String id : members.keySet()) {
            nodes.put(id, start(id));
        }
        awaitLeader();
        template("n1").set("tls.before", "1");
        assertThat(template("n3").get("tls.before", ReadConsistency.LINEARIZABLE)).contains("1");

        // Rotate n1's certificate and stop trusting the old one, on every node, while all run.
        Certificate newCertificate = certificate("n1-new");
        replace(dir.resolve("n1-new.p12"), keys.resolve("n1.p12"));
        Path newTrust = dir.resolve("trust-new.p12");
        writeTrustStore(newTrust, "n1-new", "n2", "n3");
        replace(newTrust, keys.resolve("trust.p12"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.entrySet().stream().allMatch(this::reloaded));
        assertThat(nodes.get("n1").getBean(SslBundles.class).getBundle("n1").getStores().getKeyStore()
                .getCertificate("node")).isEqualTo(newCertificate);

        nodes.remove("n3").close();
        nodes.remove("n2").close();
        nodes.put("n2", start("n2"));
        String leader = awaitLeader();
        assertThat(leader).isIn("n1", "n2");
        template("n2").set("tls.after", "2");
        assertThat(template("n1").get("tls.after", ReadConsistency.LINEARIZABLE)).contains("2");
    }

    /** Every node's bundle holds the new trust store (n1-old no longer trusted). */
    private boolean reloaded(Map.Entry<String, ConfigurableApplicationContext> node) {
        KeyStore trust = node.getValue().getBean(SslBundles.class).getBundle(node.getKey()).getStores()
                .getTrustStore();
        try {
            return !trust.containsAlias("n1-old");
        } catch (KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    private ConfigurableApplicationContext start(String id) {
        Path keys = dir.resolve("keys");
        String bundle = "spring.ssl.bundle.jks." + id;
        List<String> properties = new ArrayList<>(List.of("raftx.node-id=" + id,
                "raftx.data-dir=" + dir.resolve("data").resolve(id), "raftx.timing.tick=20ms",
                "spring.main.banner-mode=off", "raftx.transport.ssl.bundle=" + id,
                bundle + ".keystore.location=file:" + keys.resolve(id + ".p12"),
                bundle + ".keystore.password=" + PASSWORD, bundle + ".keystore.type=PKCS12",
                bundle + ".truststore.location=file:" + keys.resolve("trust.p12"),
                bundle + ".truststore.password=" + PASSWORD, bundle + ".truststore.type=PKCS12",
                bundle + ".reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=200ms"));
        members.forEach((member, address) -> properties.add("raftx.members." + member + "=" + address));
        return new SpringApplicationBuilder(TlsApp.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private String awaitLeader() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> nodes.values().stream()
                .map(c -> c.getBean(RaftNode.class).status())
                .filter(s -> s != null && s.role() == Role.LEADER).map(s -> s.nodeId()).findFirst().orElse(null),
                Objects::nonNull);
    }

    private StringRaftxTemplate template(String id) {
        return nodes.get(id).getBean(StringRaftxTemplate.class);
    }

    /** Written beside the target and moved over it, so the watcher never sees a half-written file. */
    private static void replace(Path source, Path target) throws Exception {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- certificates: one self-signed EC certificate per name (SANs IP 127.0.0.1 and raftx://node/<node id>, the
    // name up to its first '-'), made by the JDK's keytool ----

    private void generate(String name) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=raftx-" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost,uri:raftx://node/" + name.split("-")[0], "-validity", "2",
                "-keystore", dir.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(output).isTrue();
    }

    private Certificate certificate(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate("node");
    }

    private void writeTrustStore(Path file, String... names) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String name : names) {
            trust.setCertificateEntry(name, certificate(name));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TlsApp {
    }
}
