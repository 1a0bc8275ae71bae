package io.raftx.spring.core;

/**
 * Work to run while holding a lock; receives the lock, whose {@link RaftxLock#fencingToken()} it should pass to
 * every resource it changes.
 */
@FunctionalInterface
public interface RaftxLockedCallable<T, E extends Throwable> {

    T call(RaftxLock lock) throws E;
}
