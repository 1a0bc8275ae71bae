package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthTokensTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final EtcdCredentials credentials = new EtcdCredentials("root", "password1", Duration.ofSeconds(10));
    private final AuthTokens tokens = new AuthTokens(credentials, now::get);

    @Test
    void aTokenIsValidUntilItsTtlOnAnyNodeWithTheSameCredentials() {
        String token = tokens.issue();
        AuthTokens otherNode = new AuthTokens(new EtcdCredentials("root", "password1", Duration.ofSeconds(10)), now::get);
        assertThat(otherNode.check(token)).isEqualTo(AuthTokens.Check.VALID);
        now.addAndGet(9_999);
        assertThat(tokens.check(token)).isEqualTo(AuthTokens.Check.VALID);
        now.addAndGet(1);
        assertThat(tokens.check(token)).isEqualTo(AuthTokens.Check.EXPIRED);
    }

    @Test
    void tamperedForeignOrMalformedTokensAreInvalid() {
        String token = tokens.issue();
        String[] parts = token.split("\\.");
        String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 60_000) + "." + parts[2];
        AuthTokens otherPassword = new AuthTokens(new EtcdCredentials("root", "password2"), now::get);
        for (String bad : List.of(longer, "", "root", "root.1", "root.x.y", token + "x")) {
            assertThat(tokens.check(bad)).as(bad).isEqualTo(AuthTokens.Check.INVALID);
        }
        assertThat(otherPassword.check(token)).isEqualTo(AuthTokens.Check.INVALID);
    }

    @Test
    void onlyTheConfiguredUserAndPasswordMatch() {
        assertThat(tokens.matches("root", "password1")).isTrue();
        assertThat(tokens.matches("root", "password")).isFalse();
        assertThat(tokens.matches("Root", "password1")).isFalse();
    }

    @Test
    void badCredentialsAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> new EtcdCredentials("root", "short")).hasMessageContaining("at least 8 characters");
        assertThatThrownBy(() -> new EtcdCredentials("a:b", "password1")).hasMessageContaining("without ':'");
        assertThat(credentials.toString()).doesNotContain("password1");
    }

    @Test
    void anOpenApiIsRefusedWhenAnythingIsBeyondLoopback() {
        EtcdClientSecurity open = EtcdClientSecurity.LOOPBACK_ONLY;
        open.requireAuthenticationUnlessLoopback("127.0.0.1:2379", List.of("127.0.0.1:7101", "localhost:7102"), "x");
        assertThatThrownBy(() -> open.requireAuthenticationUnlessLoopback("127.0.0.1:2379",
                List.of("127.0.0.1:7101", "10.0.0.2:7102"), "set the user"))
                .hasMessage("the etcd API on 127.0.0.1:2379 would accept clients without credentials, but the cluster"
                        + " is reachable beyond this host (10.0.0.2:7102): set the user");
        assertThatThrownBy(() -> open.requireAuthenticationUnlessLoopback("0.0.0.0:2379", List.of("127.0.0.1:7101"),
                "x")).hasMessageContaining("0.0.0.0:2379 (the etcd API itself)");
        new EtcdClientSecurity(null, credentials).requireAuthenticationUnlessLoopback("0.0.0.0:2379",
                List.of("10.0.0.2:7102"), "x");
    }
}
