package io.raftx.storage;

import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.HardState;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process {@link MvStoreCrashTest} kills. It opens the storage, reports what it found, then persists random
 * batches forever, group-committing each, and reports every batch before and after it is durable:
 * <pre>
 *   START first last prevTerm hsTerm hsVote hsCommit
 *   BEGIN start end term truncateUpTo hsTerm hsVote hsCommit     (about to persist)
 *   DURABLE end                                                   (persist returned: fsynced)
 * </pre>
 * Entry content is a function of (index, term), see {@link #data}, so the parent can check every byte.
 * Arguments: storage file, random seed.
 */
public final class CrashChild {

    /** Frequent housekeeping, small prefix-removal batches: crashes land in those paths too. */
    static final MvStoreRaftStorage.Options OPTIONS = new MvStoreRaftStorage.Options(4, 8, 60, 256);

    private CrashChild() {
    }

    static Entry entry(long index, long term) {
        if (index % 17 == 0) {
            return Entry.noop(term, index);
        }
        return new Entry(term, index, EntryType.NORMAL, data(index, term));
    }

    static byte[] data(long index, long term) {
        byte[] b = new byte[(int) ((index * 31 + term * 7) % 600)];
        new SplittableRandom(index * 0x9E3779B97F4A7C15L ^ term).nextBytes(b);
        return b;
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[1]));
        PrintStream out = System.out;
        MvStoreRaftStorage storage = MvStoreRaftStorage.open(file, OPTIONS);
        LogStore log = storage.log();
        HardState hs = storage.hardState().load();
        long first = log.firstIndex();
        long last = log.lastIndex();
        out.println("START " + first + " " + last + " " + log.term(first - 1) + " " + hs.term() + " "
                + vote(hs) + " " + hs.commit());
        out.flush();
        Writer writer = new Writer(storage, rnd);
        while (true) {
            Step step = writer.next();
            out.println(step.line());
            out.flush();
            writer.persist(step);
            out.println("DURABLE " + step.end());
            out.flush();
        }
    }

    /**
     * One random group commit: entries {@code start..end} of {@code term} (replacing any suffix from {@code start}),
     * after dropping the log prefix up to {@code truncateUpTo} (0: none), with hard state {@code hs}.
     */
    record Step(long start, long end, long term, long truncateUpTo, HardState hs) {

        /** The "BEGIN" line {@link MvStoreCrashTest.State#apply} reads. */
        String line() {
            return "BEGIN " + start + " " + end + " " + term + " " + truncateUpTo + " " + hs.term() + " " + vote(hs)
                    + " " + hs.commit();
        }
    }

    /** Makes random steps the way a node's log moves, and persists them. */
    static final class Writer {
        private final MvStoreRaftStorage storage;
        private final SplittableRandom rnd;
        private long term;
        private long commit;

        Writer(MvStoreRaftStorage storage, SplittableRandom rnd) {
            this.storage = storage;
            this.rnd = rnd;
            HardState hs = storage.hardState().load();
            LogStore log = storage.log();
            this.term = Math.max(hs.term(), Math.max(1, log.term(log.lastIndex())));
            this.commit = hs.commit();
        }

        Step next() {
            LogStore log = storage.log();
            long first = log.firstIndex();
            long last = log.lastIndex();
            // where the batch starts: usually at the end, sometimes replacing a suffix (never below the commit)
            long start = last + 1;
            if (rnd.nextInt(6) == 0) {
                long lowest = Math.max(first, commit + 1);
                if (lowest <= last) {
                    start = last + 1 - rnd.nextLong(Math.min(40, last - lowest + 1) + 1);
                    term++;
                }
            }
            // the log never gets shorter, so the parent can tell the two possible outcomes apart
            long minLength = last + 1 - start + 1;
            int n = (int) Math.max(minLength, 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 400 : 48));
            long end = start + n - 1;
            long truncateUpTo = 0;
            if (rnd.nextInt(25) == 0 && start - first > 100) {
                truncateUpTo = first + rnd.nextLong(start - first - 50);
            }
            // the commit index may cover part of this batch (a follower's does), never shrinks, and later
            // replacements start above it
            commit = Math.max(commit, start - 1 + rnd.nextInt(n));
            String voteFor = rnd.nextInt(4) == 0 ? null : "node-" + (term % 5);
            return new Step(start, end, term, truncateUpTo, new HardState(term, voteFor, commit));
        }

        void persist(Step step) {
            List<Entry> batch = new ArrayList<>((int) (step.end() - step.start() + 1));
            for (long i = step.start(); i <= step.end(); i++) {
                batch.add(entry(i, step.term()));
            }
            if (step.truncateUpTo() > 0) {
                storage.log().truncatePrefix(step.truncateUpTo());
            }
            storage.persist(step.hs(), batch);
        }
    }

    private static String vote(HardState hs) {
        return hs.votedFor() == null ? "-" : hs.votedFor();
    }
}
