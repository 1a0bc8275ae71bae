package io.raftx.etcd;

import java.time.Duration;
import java.util.Objects;

/**
 * The one user etcd clients authenticate as ({@code etcdctl --user=NAME:PASSWORD}): etcd's Auth service with a
 * user configured on every node instead of users and roles kept in the cluster. The user has every permission.
 *
 * @param user     the user name
 * @param password its password; every node of the cluster must be given the same one (tokens are signed with it)
 * @param tokenTtl how long a token from Authenticate is accepted (etcd's simple tokens: 5 minutes); clients
 *                 authenticate again when told "invalid auth token"
 */
public record EtcdCredentials(String user, String password, Duration tokenTtl) {

    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(5);
    /** Short passwords would make the signed tokens guessable offline. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    public EtcdCredentials {
        if (user == null || user.isBlank() || user.contains(":")) {
            throw new IllegalArgumentException("etcd API user name must be non-empty and without ':' (etcdctl splits"
                    + " --user=NAME:PASSWORD at the first ':'), got '" + user + "'");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("etcd API password for user '" + user + "' must have at least "
                    + MIN_PASSWORD_LENGTH + " characters");
        }
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        if (tokenTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("etcd API token TTL must be at least 1 s, got " + tokenTtl);
        }
    }

    public EtcdCredentials(String user, String password) {
        this(user, password, DEFAULT_TOKEN_TTL);
    }

    @Override
    public String toString() {
        return "EtcdCredentials[user=" + user + ", password=<hidden>, tokenTtl=" + tokenTtl + "]";
    }
}
