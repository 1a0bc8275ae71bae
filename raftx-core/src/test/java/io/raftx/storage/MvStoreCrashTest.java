package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.HardState;
import io.raftx.raft.RestoredState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kills a writing process with SIGKILL at random moments and checks that what it reported durable survived, that a
 * batch in flight is recovered whole or not at all, and that nothing corrupt is left behind.
 * {@code -Draftx.storage.crash.kills=N} for more kills (default 6), {@code -Draftx.storage.crash.seed=S} to replay.
 */
class MvStoreCrashTest {

    @TempDir
    Path dir;

    /** What the log and hard state are, as far as the parent knows. */
    static final class State {
        long first = 1;
        long prevTerm;
        final List<Long> terms = new ArrayList<>(); // term of index first + i
        HardState hs = HardState.EMPTY;

        long last() {
            return first + terms.size() - 1;
        }

        long term(long index) {
            return index == first - 1 ? prevTerm : terms.get((int) (index - first));
        }

        State copy() {
            State s = new State();
            s.first = first;
            s.prevTerm = prevTerm;
            s.terms.addAll(terms);
            s.hs = hs;
            return s;
        }

        /** Applies one "BEGIN start end term truncateUpTo hsTerm hsVote hsCommit" line. */
        State apply(String[] f) {
            State s = copy();
            long start = Long.parseLong(f[1]);
            long end = Long.parseLong(f[2]);
            long term = Long.parseLong(f[3]);
            long truncateUpTo = Long.parseLong(f[4]);
            if (truncateUpTo > 0) {
                s.prevTerm = s.term(truncateUpTo);
                s.terms.subList(0, (int) (truncateUpTo - s.first + 1)).clear();
                s.first = truncateUpTo + 1;
            }
            s.terms.subList((int) (start - s.first), s.terms.size()).clear();
            for (long i = start; i <= end; i++) {
                s.terms.add(term);
            }
            s.hs = new HardState(Long.parseLong(f[5]), f[6].equals("-") ? null : f[6], Long.parseLong(f[7]));
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && s.first == first && s.prevTerm == prevTerm && s.terms.equals(terms)
                    && s.hs.equals(hs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(first, prevTerm, terms, hs);
        }

        @Override
        public String toString() {
            return "State{[" + first + ", " + last() + "] prevTerm=" + prevTerm + " lastTerm="
                    + (terms.isEmpty() ? "-" : terms.get(terms.size() - 1)) + " " + hs + "}";
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void survivesSigkillMidWrite() throws Exception {
        int kills = Integer.getInteger("raftx.storage.crash.kills", 6);
        long seed = Long.getLong("raftx.storage.crash.seed", System.nanoTime());
        System.out.println("crash test: " + kills + " kills, seed " + seed + " (-Draftx.storage.crash.seed to replay)");
        SplittableRandom rnd = new SplittableRandom(seed);
        Path file = dir.resolve("crash.mv");
        State known = new State();
        int inFlight = 0;
        long durableBatches = 0;
        for (int kill = 1; kill <= kills; kill++) {
            List<String> lines = runAndKill(file, rnd.nextLong(), 30 + rnd.nextInt(900), kill);
            // replay the child's report
            assertThat(lines).as("child output").isNotEmpty();
            assertThat(lines.get(0)).startsWith("START");
            String[] start = lines.get(0).split(" ");
            assertThat(Long.parseLong(start[1])).as("first index the child found").isEqualTo(known.first);
            assertThat(Long.parseLong(start[2])).as("last index the child found").isEqualTo(known.last());
            State durable = known;
            State pending = null;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "BEGIN" -> pending = durable.apply(f);
                    case "DURABLE" -> {
                        assertThat(pending).as("DURABLE without BEGIN").isNotNull();
                        assertThat(Long.parseLong(f[1])).isEqualTo(pending.last());
                        durable = pending;
                        pending = null;
                        durableBatches++;
                    }
                    default -> fail("unexpected child output: " + line);
                }
            }
            // reopen as the next start of the node would, and compare with the two possible outcomes
            State recovered;
            MvStoreRaftStorage storage = MvStoreRaftStorage.open(file, CrashChild.OPTIONS);
            try {
                recovered = read(storage);
            } finally {
                if (kill % 2 == 0) {
                    storage.close();
                } else {
                    storage.closeWithoutWriting(); // the next child opens the crashed file as it is
                }
            }
            boolean matchesDurable = recovered.equals(durable);
            boolean matchesPending = pending != null && recovered.equals(pending);
            System.out.printf("kill %d: %d lines, reported durable %s, in flight %s, recovered %s (%s)%n", kill,
                    lines.size(), durable, pending, recovered,
                    matchesDurable ? "last durable batch" : matchesPending ? "batch in flight" : "MISMATCH");
            if (!matchesDurable && !matchesPending) {
                fail("after kill " + kill + " (seed " + seed + ") recovered " + recovered
                        + ", expected the last reported durable state " + durable
                        + (pending == null ? "" : " or the batch in flight " + pending));
            }
            if (pending != null) {
                inFlight++;
            }
            known = recovered;
        }
        System.out.printf("crash test: %d kills, %d with a batch in flight, %d durable batches, final %s%n",
                kills, inFlight, durableBatches, known);
        assertThat(durableBatches).as("the child made progress").isPositive();
    }

    /** Reads everything through the public API, checking each entry's content. */
    static State read(MvStoreRaftStorage storage) {
        State s = new State();
        LogStore log = storage.log();
        s.first = log.firstIndex();
        s.prevTerm = log.term(s.first - 1);
        long last = log.lastIndex();
        List<Entry> entries = log.entries(s.first, last);
        assertThat(entries).hasSize((int) (last - s.first + 1));
        for (Entry e : entries) {
            assertThat(e).as("content of entry %d", e.index()).isEqualTo(CrashChild.entry(e.index(), e.term()));
            s.terms.add(e.term());
        }
        s.hs = storage.hardState().load();
        if (s.first == 1) {
            RestoredState restored = storage.recover();
            assertThat(restored.log()).isEqualTo(entries);
            assertThat(restored.hardState()).isEqualTo(s.hs);
        }
        return s;
    }

    private List<String> runAndKill(Path file, long seed, int millisAfterStart, int kill) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = dir.resolve("child-" + kill + ".out");
        Path stderr = dir.resolve("child-" + kill + ".err");
        // stdout goes to a file, not a pipe: whatever the child wrote before it died is in the file, and nothing
        // is lost in the race between reading a pipe and the JDK draining it when the process exits
        Process child = new ProcessBuilder(java, "-ea", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), file.toString(), Long.toString(seed))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.readString(stdout).indexOf('\n') < 0) {
                if (!child.isAlive()) {
                    fail("child died by itself (exit " + child.exitValue() + "); stderr: " + Files.readString(stderr));
                }
                if (System.nanoTime() > deadline) {
                    fail("child did not start within 60 s; stderr: " + Files.readString(stderr));
                }
                Thread.sleep(5);
            }
            Thread.sleep(millisAfterStart);
            if (!child.isAlive()) {
                fail("child died by itself (exit " + child.exitValue() + "); stderr: " + Files.readString(stderr));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        // only complete lines count: a line the kill cut short was never fully reported
        List<String> lines = new ArrayList<>(List.of(Files.readString(stdout).split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }
}
