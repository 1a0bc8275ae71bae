package io.raftx.spring.config;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Loads the cluster configuration just before the first {@code @ConfigurationProperties} bean that is not RaftX's
 * own ({@code raftx.*}) is bound: it runs ahead of Spring Boot's binding post-processor, so that bean, and every one after it, binds
 * with the cluster's values already in the Environment.
 */
public class ClusterConfigStartup implements BeanPostProcessor, PriorityOrdered, ApplicationContextAware {

    private ApplicationContext context;
    private volatile boolean triggered;

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        if (triggered) {
            return bean;
        }
        ConfigurationPropertiesBean properties = ConfigurationPropertiesBean.get(context, bean, beanName);
        if (properties != null && !properties.getAnnotation().prefix().startsWith("raftx")) {
            triggered = true;
            context.getBean(ClusterConfiguration.class).load();
        }
        return bean;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // Boot's ConfigurationPropertiesBindingPostProcessor is HIGHEST + 1
    }
}
