package io.raftx.spring.config.cloud;

import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.autoconfigure.config.RaftxClusterConfigAutoConfiguration;
import io.raftx.spring.autoconfigure.config.RaftxRefreshScopeAutoConfiguration;
import io.raftx.spring.config.ClusterConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;

/** The refresh-scope listener exists only with Spring Cloud Context, its refresh scope and a cluster configuration. */
class RaftxRefreshScopeAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                    RaftxClusterConfigAutoConfiguration.class, RefreshAutoConfiguration.class,
                    RaftxRefreshScopeAutoConfiguration.class));

    @Test
    void refreshesTheScopeWhenSpringCloudContextIsPresent() {
        runner.withPropertyValues(singleNode(dir)).withPropertyValues("raftx.config.prefix=app.").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(ClusterConfiguration.class)
                        .hasSingleBean(RefreshScopeClusterConfigListener.class));
    }

    @Test
    void createsNothingWithoutSpringCloudContext() {
        runner.withPropertyValues(singleNode(dir)).withPropertyValues("raftx.config.prefix=app.")
                .withClassLoader(new FilteredClassLoader("org.springframework.cloud")).run(context ->
                        assertThat(context).hasNotFailed().hasSingleBean(ClusterConfiguration.class)
                                .doesNotHaveBean(RefreshScopeClusterConfigListener.class)
                                .doesNotHaveBean("refreshScope"));
    }

    @Test
    void createsNothingWhenTheRefreshScopeIsDisabledOrThereIsNoClusterConfiguration() {
        runner.withPropertyValues(singleNode(dir)).withPropertyValues("raftx.config.prefix=app.",
                "spring.cloud.refresh.enabled=false").run(context ->
                        assertThat(context).hasNotFailed().doesNotHaveBean(RefreshScopeClusterConfigListener.class));
        runner.withPropertyValues(singleNode(dir)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ClusterConfiguration.class)
                        .doesNotHaveBean(RefreshScopeClusterConfigListener.class));
    }
}
