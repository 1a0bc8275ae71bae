package io.raftx.spring.core;

import io.raftx.coordination.CoordinationKeys;
import io.raftx.volatilenode.VolatileClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Checks lock and election names and leases, and maps names to their volatile keys (for the integrations too). */
public final class LockNames {

    static final int MAX_NAME_BYTES = 256;
    static final int MIN_LEASE_TICKS = 10;

    private LockNames() {
    }

    /** The volatile key of a lock or election: apart from the application's own volatile keys. */
    public static String key(String kind, String name) {
        return CoordinationKeys.of(kind, name);
    }

    public static String requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be empty; use dot-separated segments such as"
                    + " 'reports.nightly'");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " name is " + bytes + " bytes of UTF-8, more than the "
                    + MAX_NAME_BYTES + " allowed: '" + name.substring(0, 40) + "...'");
        }
        if (name.contains("*") || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException(what + " name '" + name + "' must be dot-separated non-empty"
                    + " segments without '*'");
        }
        return name;
    }

    static Duration requireLease(Duration lease, VolatileClient client) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, was " + lease);
        }
        Duration min = client.tick().multipliedBy(MIN_LEASE_TICKS);
        if (lease.compareTo(min) < 0) {
            throw new IllegalArgumentException("lease " + lease + " is shorter than " + MIN_LEASE_TICKS
                    + " node ticks (" + min + "): renewals could not keep the lock; use at least " + min);
        }
        return lease;
    }

    static Duration requireWait(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("wait must be zero or positive, was " + wait);
        }
        return wait;
    }
}
