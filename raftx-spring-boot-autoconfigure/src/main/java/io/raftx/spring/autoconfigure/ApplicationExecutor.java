package io.raftx.spring.autoconfigure;

import io.raftx.kv.watch.WatchOptions;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Spring Boot's application task executor (virtual threads when {@code spring.threads.virtual.enabled=true}) runs
 * the template's asynchronous completions and watch deliveries when the application has one; otherwise the common
 * fork-join pool and the watch hubs' own threads do.
 *
 * <p>The executor bean is fetched once every singleton exists, never while beans are being created: the node may be
 * started during creation (cluster configuration), possibly while the executor itself is being created, and a
 * lookup then could block the node's event loop. Until then, and once Spring's executor stops taking tasks (as soon
 * as the context starts closing, before the node stops), tasks run on the common pool, so no future is left
 * uncompleted and no event stuck.
 */
public final class ApplicationExecutor implements SmartInitializingSingleton {

    /** Spring Boot's {@code TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME}. */
    static final String BEAN_NAME = "applicationTaskExecutor";

    private final BeanFactory beanFactory;
    private final Executor executor = this::execute; // not the bean itself: Boot's executor backs off for Executor beans
    private volatile Executor resolved;

    ApplicationExecutor(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    boolean available() {
        return beanFactory.containsBean(BEAN_NAME);
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (available()) {
            resolved = beanFactory.getBean(BEAN_NAME, Executor.class);
        }
    }

    Executor orCommonPool() {
        return available() ? executor : ForkJoinPool.commonPool();
    }

    /** Watch listeners still run one at a time per watch, in revision order, whatever the executor. */
    WatchOptions forWatches(WatchOptions options) {
        return !available() || options.deliveryExecutor() != null ? options : options.withDeliveryExecutor(executor);
    }

    private void execute(Runnable task) {
        Executor application = resolved;
        if (application == null) {
            ForkJoinPool.commonPool().execute(task);
            return;
        }
        try {
            application.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }
}
