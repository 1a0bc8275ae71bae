package io.raftx.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed test certificates made with the JDK's keytool: {@code NAME.crt} (PEM) and {@code NAME.key} (PEM,
 * unencrypted PKCS#8) in a directory, with SAN IP:127.0.0.1 and DNS:localhost, valid for two days, naming the node
 * they belong to as a URI SAN {@code raftx://node/<id>} (peer identity).
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A certificate for node {@code name}. */
    public static void generate(Path dir, String name) throws Exception {
        generate(dir, name, name);
    }

    /** {@code nodeId}: the node the certificate names, or null for none. */
    public static void generate(Path dir, String name, String nodeId) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=raftx-" + name, "-ext",
                "SAN=ip:127.0.0.1,dns:localhost" + (nodeId == null ? "" : ",uri:raftx://node/" + nodeId),
                "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate(name);
        java.security.Key key = ks.getKey(name, "changeit".toCharArray());
        Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Concatenates the named certificates into {@code file} (a trust bundle). */
    public static Path bundle(Path dir, String file, String... names) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : names) {
            all.append(Files.readString(dir.resolve(name + ".crt")));
        }
        return Files.writeString(dir.resolve(file), all);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
