package io.raftx.coordination;

/**
 * The volatile keys of named locks and elections. Every front end that offers them (the Spring template, the etcd
 * {@code v3lockpb.Lock} and {@code v3electionpb.Election} services) maps a name through here, so a lock taken
 * through one excludes holders using another.
 */
public final class CoordinationKeys {

    private static final String PREFIX = "raftx.";

    private CoordinationKeys() {
    }

    /** The key of a kind of coordination object ({@code locks}, {@code elections}, ...) named {@code name}. */
    public static String of(String kind, String name) {
        return PREFIX + kind + "." + name;
    }

    /** The key of the lock {@code name}, as {@code opsForLocks()} and the etcd Lock service use it. */
    public static String lock(String name) {
        return of("locks", name);
    }

    /** The key of the election {@code name}, as {@code opsForElection()} and the etcd Election service use it. */
    public static String election(String name) {
        return of("elections", name);
    }
}
