package io.raftx.etcd;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, self-contained auth tokens: {@code user.expiryMillis.signature}, the signature an HMAC-SHA256 keyed by the
 * configured credentials. Stateless on purpose: a token issued by one node is accepted by every node given the same
 * credentials (clients move between endpoints), and nothing has to be replicated or cleaned up. Changing the password
 * invalidates every token.
 */
final class AuthTokens {

    enum Check { VALID, INVALID, EXPIRED }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final EtcdCredentials credentials;
    private final SecretKeySpec key;
    private final LongSupplier clockMillis;

    AuthTokens(EtcdCredentials credentials, LongSupplier clockMillis) {
        this.credentials = credentials;
        this.clockMillis = clockMillis;
        try {
            byte[] material = MessageDigest.getInstance("SHA-256").digest(("raftx etcd token\0" + credentials.user()
                    + "\0" + credentials.password()).getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(material, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether {@code user} / {@code password} are the configured ones (compared in constant time). */
    boolean matches(String user, String password) {
        boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                credentials.user().getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                credentials.password().getBytes(StandardCharsets.UTF_8));
        return userOk & passwordOk;
    }

    String issue() {
        String body = credentials.user() + "." + (clockMillis.getAsLong() + credentials.tokenTtl().toMillis());
        return body + "." + sign(body);
    }

    Check check(String token) {
        int last = token.lastIndexOf('.');
        int middle = last < 0 ? -1 : token.lastIndexOf('.', last - 1);
        if (middle < 0) {
            return Check.INVALID;
        }
        String body = token.substring(0, last);
        if (!MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.US_ASCII),
                token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(middle + 1, last));
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        return clockMillis.getAsLong() < expiry ? Check.VALID : Check.EXPIRED;
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
