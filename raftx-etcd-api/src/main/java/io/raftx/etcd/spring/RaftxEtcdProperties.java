package io.raftx.etcd.spring;

import io.raftx.etcd.EtcdApiSettings;
import io.raftx.etcd.EtcdCredentials;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** {@code raftx.etcd.*}: the etcd v3 API of this application's RaftX node. */
@ConfigurationProperties("raftx.etcd")
public class RaftxEtcdProperties {

    /**
     * Client address (host:port) on which this node serves the etcd v3 API, e.g. 127.0.0.1:2379. Unset: no etcd API.
     */
    private String address;

    /** How often a watch created with progress_notify hears of progress when it had no events. */
    private Duration progressInterval = EtcdApiSettings.DEFAULT_PROGRESS_INTERVAL;

    /** Largest request accepted; larger ones get etcd's "request is too large". */
    private DataSize maxRequestSize = DataSize.ofBytes(EtcdApiSettings.DEFAULT_MAX_REQUEST_BYTES);

    /** The user etcd clients authenticate as (etcd's Auth, {@code etcdctl --user=NAME:PASSWORD}). */
    private final Auth auth = new Auth();

    public Auth getAuth() {
        return auth;
    }

    /** {@code raftx.etcd.auth.*}: unset username and password: no password authentication. */
    public static class Auth {

        /** User name clients authenticate with. */
        private String username;

        /** Its password, the same on every node (at least 8 characters). */
        private String password;

        /** How long a token from Authenticate is accepted; clients re-authenticate after it. */
        private Duration tokenTtl = EtcdCredentials.DEFAULT_TOKEN_TTL;

        EtcdCredentials toCredentials() {
            if (username == null && password == null) {
                return null;
            }
            if (username == null || password == null) {
                throw new IllegalArgumentException("raftx.etcd.auth needs both username and password (one of them"
                        + " is unset)");
            }
            return new EtcdCredentials(username, password, tokenTtl);
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Duration getTokenTtl() {
            return tokenTtl;
        }

        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }
    }

    EtcdApiSettings toSettings() {
        return new EtcdApiSettings(address, progressInterval, (int) Math.min(Integer.MAX_VALUE, maxRequestSize.toBytes()),
                minLeaseTtl.toSeconds(), maxLeaseTtl.toSeconds(), quotaBackendBytes.toBytes());
    }

    /**
     * Once the node's data directory passes this size, writes fail with etcd's "database space exceeded" and the
     * NOSPACE alarm is raised (etcd's --quota-backend-bytes).
     */
    private DataSize quotaBackendBytes = DataSize.ofBytes(EtcdApiSettings.DEFAULT_QUOTA_BACKEND_BYTES);

    public DataSize getQuotaBackendBytes() {
        return quotaBackendBytes;
    }

    public void setQuotaBackendBytes(DataSize quotaBackendBytes) {
        this.quotaBackendBytes = quotaBackendBytes;
    }

    /** Lease TTLs below this are raised to it, as etcd does. */
    private Duration minLeaseTtl = Duration.ofSeconds(EtcdApiSettings.DEFAULT_MIN_LEASE_TTL_SECONDS);

    /** Lease TTLs above this are refused with etcd's "too large lease TTL". */
    private Duration maxLeaseTtl = Duration.ofSeconds(EtcdApiSettings.DEFAULT_MAX_LEASE_TTL_SECONDS);

    public Duration getMinLeaseTtl() {
        return minLeaseTtl;
    }

    public void setMinLeaseTtl(Duration minLeaseTtl) {
        this.minLeaseTtl = minLeaseTtl;
    }

    public Duration getMaxLeaseTtl() {
        return maxLeaseTtl;
    }

    public void setMaxLeaseTtl(Duration maxLeaseTtl) {
        this.maxLeaseTtl = maxLeaseTtl;
    }

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public DataSize getMaxRequestSize() {
        return maxRequestSize;
    }

    public void setMaxRequestSize(DataSize maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }
}
