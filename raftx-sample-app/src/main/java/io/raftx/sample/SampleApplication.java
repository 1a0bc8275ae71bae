package io.raftx.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A web application whose instances form a RaftX cluster. Run three with {@code scripts/cluster.sh start}, or one
 * by hand: {@code java -jar raftx-sample-app.jar --raftx.node-id=n1}.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
