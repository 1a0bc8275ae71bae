package io.raftx.spring.autoconfigure;

import io.raftx.kv.watch.WatchOptions;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Spring Boot's application task executor (virtual threads when {@code spring.threads.virtual.enabled=true}) runs
 * the template's asynchronous completions and watch deliveries when the application has one; otherwise the common
 * fork-join pool and the watch hubs' own threads do.
 */
final class ApplicationExecutor {

    /** Spring Boot's {@code TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME}. */
    static final String BEAN_NAME = "applicationTaskExecutor";

    private ApplicationExecutor() {
    }

    static Executor orCommonPool(ObjectProvider<Executor> executor) {
        Executor application = executor.getIfAvailable();
        return application == null ? ForkJoinPool.commonPool() : withFallback(application);
    }

    /** Watch listeners still run one at a time per watch, in revision order, whatever the executor. */
    static WatchOptions forWatches(WatchOptions options, ObjectProvider<Executor> executor) {
        Executor application = executor.getIfAvailable();
        return application == null || options.deliveryExecutor() != null ? options
                : options.withDeliveryExecutor(withFallback(application));
    }

    /**
     * Spring's executor stops taking tasks as soon as the context starts closing, before the node stops: what is
     * completed or delivered meanwhile runs on the common pool, so no future is left uncompleted.
     */
    private static Executor withFallback(Executor application) {
        return task -> {
            try {
                application.execute(task);
            } catch (RejectedExecutionException e) {
                ForkJoinPool.commonPool().execute(task);
            }
        };
    }
}
