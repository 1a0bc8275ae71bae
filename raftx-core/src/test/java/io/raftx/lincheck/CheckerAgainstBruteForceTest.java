package io.raftx.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
    private static final String[] VALUES = {"1", "2"};
    private static final String[] SUFFIXES = {"a", "b"};

    @Test
    void agreesWithBruteForceOnRandomSmallHistories() {
        Random random = new Random(20240611L);
        LinearizabilityChecker checker = new LinearizabilityChecker();
        int linearizable = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<Operation> ops = randomHistory(random);
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
    private static List<Operation> randomHistory(Random random) {
        int n = 1 + random.nextInt(7);
        long[] points = random.longs(n, 0, 60).sorted().toArray();
        List<Operation> ops = new ArrayList<>();
        String state = null;
        for (int i = 0; i < n; i++) {
            long call = points[i] - random.nextInt(20);
            long ret = random.nextInt(5) == 0 ? Operation.UNKNOWN : points[i] + random.nextInt(20);
            // An unknown write took effect or not: the checker must accept both.
            boolean applies = ret != Operation.UNKNOWN || random.nextBoolean();
            String value = VALUES[random.nextInt(VALUES.length)];
            Operation op = switch (random.nextInt(6)) {
                case 0 -> Operation.put(i, "k", value, call, ret);
                case 1 -> Operation.delete(i, "k", call, ret);
                case 2 -> Operation.append(i, "k", SUFFIXES[random.nextInt(SUFFIXES.length)], call, ret);
                case 3 -> {
                    String expected = random.nextInt(3) == 0 ? null : VALUES[random.nextInt(VALUES.length)];
                    boolean swaps = Objects.equals(state, expected) && applies;
                    yield Operation.cas(i, "k", expected, value, swaps && ret != Operation.UNKNOWN, call, ret);
                }
                default -> Operation.get(i, "k", ret == Operation.UNKNOWN ? null : state, call, ret);
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
            String[] answers = {null, "1", "2", "a", "ab", "1b"};
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
