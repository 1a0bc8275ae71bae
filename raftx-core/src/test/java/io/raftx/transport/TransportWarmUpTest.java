package io.raftx.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TransportWarmUpTest {

    @Test
    void theSurvivorSeesItsPeerGoDownWithNothingInTheLogAboveDebugAndNoThreadLeftBehind() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        boolean sawDown;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger(TransportWarmUpTest.class).info("the capture works");
            sawDown = TransportWarmUp.run();
            assertThat(warmUpThreadsAlive(5_000)).as("threads of the throwaway transports").isEmpty();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("the capture works"); // else the check below could not fail
        assertThat(sawDown).as("stream broken, reconnect refused, peer reported unreachable and down").isTrue();
        assertThat(log.lines().filter(line -> line.contains("warm-up-"))).isEmpty();
    }

    /** The names of live threads of the throwaway transports, after waiting up to {@code millis} for them to end. */
    private static List<String> warmUpThreadsAlive(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<String> alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.contains("warm-up-")).toList();
            if (alive.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return alive;
    }
}
