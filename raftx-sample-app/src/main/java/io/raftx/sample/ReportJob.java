package io.raftx.sample;

import io.raftx.spring.core.RaftxElection;
import io.raftx.spring.core.StringRaftxTemplate;
import java.time.Instant;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A {@code @Scheduled} job that runs on one instance of the cluster only: the leader of the election
 * {@code sample.report}. Each run records itself under the key {@code report.last-run} with its fencing token
 * ({@code curl localhost:8081/kv/report.last-run}); when the leading instance stops, another one takes over.
 */
@Component
class ReportJob {

    private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

    private final StringRaftxTemplate template;
    private volatile RaftxElection election;

    ReportJob(StringRaftxTemplate template) {
        this.template = template;
    }

    /** Campaigns once the node runs; the election is left when the application stops. */
    @EventListener(ApplicationReadyEvent.class)
    void join() {
        election = template.opsForElection().join("sample.report");
    }

    @Scheduled(fixedDelayString = "${sample.report.interval:10s}")
    void run() {
        RaftxElection e = election;
        OptionalLong token = e == null ? OptionalLong.empty() : e.fencingToken();
        if (token.isEmpty()) {
            return; // another instance leads: it runs the job
        }
        String run = e.candidate() + " at " + Instant.now() + " token " + token.getAsLong();
        try {
            template.set("report.last-run", run);
        } catch (DataAccessException ex) {
            // e.g. the node stops during the write (a clean shutdown): expected, so one line, no stack trace
            log.warn("Report job run on {} was not recorded: {}", run, ex.getMessage());
            return;
        }
        log.info("Report job ran on {}", run);
    }
}
