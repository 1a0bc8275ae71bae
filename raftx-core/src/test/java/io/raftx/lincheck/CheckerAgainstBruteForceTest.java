package io.raftx.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Compares the search (with its cache and prunings) against the definition itself, tried by brute force on many
 * small random histories: some order of the known operations plus any subset of the unknown ones, respecting
 * real time, in which every answer is what the key held.
 */
class CheckerAgainstBruteForceTest {

    private static final int ROUNDS = 5000;
    private static final String[] SUFFIXES = {"a", "b"};

    /**
     * What random histories are made of.
     *
     * @param weights          relative frequency of put, delete, append, cas, get
     * @param unknownOneIn     one operation in this many has an unknown outcome
     * @param values           values written by put and cas
     * @param expectedValues   values a cas expects (null = absent)
     */
    private record Mix(int[] weights, int unknownOneIn, String[] values, String[] expectedValues) {

        OpKind pick(Random random) {
            int roll = random.nextInt(Arrays.stream(weights).sum());
            OpKind[] kinds = {OpKind.PUT, OpKind.DELETE, OpKind.APPEND, OpKind.CAS, OpKind.GET};
            for (int k = 0; ; k++) {
                roll -= weights[k];
                if (roll < 0) {
                    return kinds[k];
                }
            }
        }
    }

    private static final Mix REGISTER = new Mix(new int[] {1, 1, 1, 1, 2}, 5,
            new String[] {"1", "2"}, new String[] {null, "1", "2"});

    /** Mostly appends, many of them unknown, and cases that compare against appended strings. */
    private static final Mix APPEND_HEAVY = new Mix(new int[] {1, 1, 4, 2, 3}, 3,
            new String[] {"1", "a"}, new String[] {null, "a", "b", "ab", "ba", "1"});

    @Test
    void agreesWithBruteForceOnRegisterHistories() {
        compareOnRandomHistories(REGISTER, 20240611L);
    }

    @Test
    void agreesWithBruteForceOnAppendHeavyHistories() {
        compareOnRandomHistories(APPEND_HEAVY, 7L);
    }

    private static void compareOnRandomHistories(Mix mix, long seed) {
        Random random = new Random(seed);
        LinearizabilityChecker checker = new LinearizabilityChecker();
        int linearizable = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<Operation> ops = randomHistory(mix, random);
            boolean expected = bruteForce(LinearizabilityChecker.withoutUnknownReads(ops));
            Result result = checker.check(new History(ops));
            assertThat(result.isLinearizable()).as("round %d, %s: %s", round, ops, result).isEqualTo(expected);
            linearizable += expected ? 1 : 0;
        }
        // The generator must exercise both verdicts, or the comparison proves little.
        assertThat(linearizable).isBetween(ROUNDS / 5, ROUNDS * 4 / 5);
    }

    /**
     * Ops with random linearization points and intervals around them; answers computed by applying them in point
     * order, so the history is linearizable, until one answer is corrupted half of the time.
     */
    private static List<Operation> randomHistory(Mix mix, Random random) {
        int n = 1 + random.nextInt(8);
        long[] points = random.longs(n, 0, 60).sorted().toArray();
        List<Operation> ops = new ArrayList<>();
        String state = null;
        for (int i = 0; i < n; i++) {
            long call = points[i] - random.nextInt(20);
            long ret = random.nextInt(mix.unknownOneIn()) == 0 ? Operation.UNKNOWN : points[i] + random.nextInt(20);
            // An unknown write took effect or not: the checker must accept both.
            boolean applies = ret != Operation.UNKNOWN || random.nextBoolean();
            String value = mix.values()[random.nextInt(mix.values().length)];
            Operation op = switch (mix.pick(random)) {
                case PUT -> Operation.put(i, "k", value, call, ret);
                case DELETE -> Operation.delete(i, "k", call, ret);
                case APPEND -> Operation.append(i, "k", SUFFIXES[random.nextInt(SUFFIXES.length)], call, ret);
                case CAS -> {
                    String expected = mix.expectedValues()[random.nextInt(mix.expectedValues().length)];
                    boolean swaps = Objects.equals(state, expected) && applies;
                    yield Operation.cas(i, "k", expected, value, swaps && ret != Operation.UNKNOWN, call, ret);
                }
                case GET -> Operation.get(i, "k", ret == Operation.UNKNOWN ? null : state, call, ret);
            };
            if (applies) {
                state = RegisterModel.next(op, state);
            }
            ops.add(op);
        }
        if (random.nextBoolean()) {
            corruptOneAnswer(ops, random);
        }
        return ops;
    }

    private static void corruptOneAnswer(List<Operation> ops, Random random) {
        List<Integer> answered = new ArrayList<>();
        for (int j = 0; j < ops.size(); j++) {
            Operation candidate = ops.get(j);
            if (!candidate.isUnknown() && (candidate.kind() == OpKind.GET || candidate.kind() == OpKind.CAS)) {
                answered.add(j);
            }
        }
        if (answered.isEmpty()) {
            return;
        }
        int i = answered.get(random.nextInt(answered.size()));
        Operation op = ops.get(i);
        if (op.kind() == OpKind.GET) {
            String[] answers = {null, "1", "2", "a", "ab", "ba", "1b", "aab"};
            ops.set(i, Operation.get(op.clientId(), op.key(), answers[random.nextInt(answers.length)],
                    op.call(), op.returnTime()));
        } else if (op.kind() == OpKind.CAS) {
            ops.set(i, Operation.cas(op.clientId(), op.key(), op.expected(), op.value(), !op.casSucceeded(),
                    op.call(), op.returnTime()));
        }
    }

    /** The definition, by exhaustive search over orders; no cache, no pruning. */
    private static boolean bruteForce(List<Operation> ops) {
        return extend(ops, new boolean[ops.size()], RegisterModel.INITIAL);
    }

    private static boolean extend(List<Operation> ops, boolean[] done, String state) {
        boolean knownLeft = false;
        for (int i = 0; i < ops.size(); i++) {
            knownLeft |= !done[i] && !ops.get(i).isUnknown();
        }
        if (!knownLeft) {
            return true; // the unknown ones left over never took effect
        }
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (done[i] || !RegisterModel.allows(op, state) || mustComeAfterARemainingOp(ops, done, op)) {
                continue;
            }
            done[i] = true;
            boolean found = extend(ops, done, RegisterModel.next(op, state));
            done[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static boolean mustComeAfterARemainingOp(List<Operation> ops, boolean[] done, Operation op) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && ops.get(j).returnTime() < op.call()) {
                return true;
            }
        }
        return false;
    }
}
