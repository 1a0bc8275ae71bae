package io.raftx.spring.watch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method to be called for every applied change, on this node, of a key matching {@link #value()}.
 * Every node of the cluster calls its own annotated methods, so each instance of the application sees each change.
 *
 * <p>Patterns are dot-separated: a literal segment matches itself, {@code *} one segment, and a trailing {@code **}
 * any non-empty rest ({@code ai.**} matches {@code ai.x} and {@code ai.model.threshold}; {@code **} matches every
 * key). Accepted signatures:
 * <pre>{@code
 * @ClusterWatch("ai.**") void onChange(WatchEvent event)
 * @ClusterWatch("ai.**") void onChange(String key, String value)                       // value null on delete
 * @ClusterWatch("ai.**") void onChange(String key, String value, WatchEvent.Type type)
 * }</pre>
 *
 * <p>Delivery: in revision order per method, on a watch delivery thread (never the Raft event loop), after the change
 * is applied on this node. An exception thrown by the method is logged and counted and affects nothing else. Events
 * of a snapshot restored at start-up are not delivered; a restarting node that replays its log delivers those
 * changes again (with their original revisions), so handle events idempotently. Only singleton beans are scanned.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterWatch {

    /** The key pattern; {@code ${...}} placeholders are resolved from the environment. */
    @AliasFor("pattern")
    String value() default "";

    @AliasFor("value")
    String pattern() default "";

    /**
     * Watch the volatile (memory-only, TTL'd) keyspace instead of the persistent one. Its events are numbered by the
     * volatile operation index (their {@code revision}), carry {@code volatileKey = true}, and include expiries
     * decided by the leader; a set-valued key's value is its members joined by newlines.
     */
    boolean volatileKeys() default false;

    /**
     * Name of an {@link java.util.concurrent.Executor} bean to run the method on. Each event is handed to the
     * executor, so with a pool the per-method ordering is lost. Empty: the method runs on the watch delivery thread,
     * in order.
     */
    String executor() default "";
}
