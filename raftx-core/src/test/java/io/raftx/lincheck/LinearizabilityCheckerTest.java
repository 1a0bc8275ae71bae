package io.raftx.lincheck;

import static io.raftx.lincheck.Operation.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private static Operation put(int client, String value, long call, long ret) {
        return Operation.put(client, "x", value, call, ret);
    }

    private static Operation get(int client, String read, long call, long ret) {
        return Operation.get(client, "x", read, call, ret);
    }

    private static Operation cas(int client, String expected, String value, boolean ok, long call, long ret) {
        return Operation.cas(client, "x", expected, value, ok, call, ret);
    }

    private static Operation append(int client, String value, long call, long ret) {
        return Operation.append(client, "x", value, call, ret);
    }

    private void assertLinearizable(Operation... ops) {
        Result result = checker.check(History.of(ops));
        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.LINEARIZABLE);
    }

    private Result assertNotLinearizable(Operation... ops) {
        Result result = checker.check(History.of(ops));
        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.NOT_LINEARIZABLE);
        return result;
    }

    @Nested
    class Registers {

        @Test
        void emptyHistoryIsLinearizable() {
            assertLinearizable();
        }

        @Test
        void keysStartAbsent() {
            assertLinearizable(get(0, null, 0, 1));
            assertNotLinearizable(get(0, "1", 0, 1));
        }

        @Test
        void sequentialWritesAndReads() {
            assertLinearizable(put(0, "1", 0, 10), get(1, "1", 11, 20), put(0, "2", 21, 30), get(1, "2", 31, 40));
        }

        @Test
        void staleReadIsAViolation() {
            Result result = assertNotLinearizable(put(0, "1", 0, 10), put(0, "2", 11, 20), get(1, "1", 21, 30));
            assertThat(result.key()).isEqualTo("x");
            assertThat(result.explanation()).contains("get(x) -> '1'")
                    .contains("The read could only have returned '2'");
        }

        @Test
        void aReadConcurrentWithAWriteMaySeeEitherValue() {
            assertLinearizable(put(0, "1", 0, 10), put(0, "2", 11, 30), get(1, "1", 12, 20));
            assertLinearizable(put(0, "1", 0, 10), put(0, "2", 11, 30), get(1, "2", 12, 20));
        }

        @Test
        void readsMustNotGoBackInTime() {
            // Both reads overlap the write, but once one read saw "1" a later read cannot see the key absent.
            assertNotLinearizable(put(0, "1", 0, 100), get(1, "1", 10, 20), get(2, null, 30, 40));
            assertLinearizable(put(0, "1", 0, 100), get(1, null, 10, 20), get(2, "1", 30, 40));
        }

        @Test
        void intervalsAreClosed() {
            // Same instant: the read may still come before the write took effect.
            assertLinearizable(put(0, "1", 0, 10), get(1, null, 10, 20));
            assertNotLinearizable(put(0, "1", 0, 10), get(1, null, 11, 20));
        }

        @Test
        void deleteMakesTheKeyAbsent() {
            Operation delete = Operation.delete(1, "x", 11, 20);
            assertLinearizable(put(0, "1", 0, 10), delete, get(2, null, 21, 30));
            assertNotLinearizable(put(0, "1", 0, 10), delete, get(2, "1", 21, 30));
        }

        @Test
        void keysAreCheckedIndependently() {
            Result result = checker.check(History.of(
                    Operation.put(0, "a", "1", 0, 10), Operation.get(1, "a", "1", 20, 30),
                    Operation.put(0, "b", "1", 0, 10), Operation.get(1, "b", null, 20, 30)));
            assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(result.key()).isEqualTo("b");
            // Each key alone: "a" would be fine even though the same times on "b" are not.
            assertThat(checker.check(History.of(Operation.put(0, "a", "1", 0, 10),
                    Operation.get(1, "b", null, 20, 30))).isLinearizable()).isTrue();
        }
    }

    @Nested
    class UnknownOutcomes {

        @Test
        void anUnknownWriteMayTakeEffectLongAfterItsCall() {
            assertLinearizable(put(0, "1", 0, UNKNOWN), get(1, null, 10, 20), get(1, "1", 30, 40));
        }

        @Test
        void anUnknownWriteMayNeverTakeEffect() {
            assertLinearizable(put(0, "1", 0, UNKNOWN), get(1, null, 100, 110));
        }

        @Test
        void anUnknownWriteCannotTakeEffectBeforeItsCall() {
            assertNotLinearizable(get(1, "1", 0, 10), put(0, "1", 20, UNKNOWN));
        }

        @Test
        void anUnknownWriteTakesEffectAtMostOnce() {
            assertNotLinearizable(put(0, "1", 0, UNKNOWN), get(1, "1", 10, 20), put(2, "2", 30, 40),
                    get(1, "1", 50, 60));
        }

        @Test
        void aCompletedWriteMustHaveTakenEffect() {
            assertNotLinearizable(put(0, "1", 0, 10), get(1, null, 20, 30));
        }

        @Test
        void anUnknownReadConstrainsNothing() {
            assertLinearizable(put(0, "1", 0, 10), Operation.get(1, "x", null, 20, UNKNOWN), get(2, "1", 30, 40));
            assertLinearizable(Operation.get(1, "x", null, 20, UNKNOWN));
        }

        @Test
        void anUnknownAppendMayBeSeenLater() {
            assertLinearizable(append(0, "a", 0, UNKNOWN), get(1, null, 5, 6), get(1, "a", 7, 8));
        }
    }

    @Nested
    class CompareAndSet {

        @Test
        void successfulCasNeedsTheExpectedValue() {
            assertLinearizable(put(0, "1", 0, 10), cas(1, "1", "2", true, 11, 20), get(2, "2", 21, 30));
            assertNotLinearizable(put(0, "1", 0, 10), cas(1, "3", "2", true, 11, 20));
        }

        @Test
        void failedCasNeedsAnotherValueAndChangesNothing() {
            assertLinearizable(put(0, "1", 0, 10), cas(1, "3", "2", false, 11, 20), get(2, "1", 21, 30));
            Result result = assertNotLinearizable(put(0, "1", 0, 10), cas(1, "1", "2", false, 11, 20));
            assertThat(result.explanation()).contains("It would fit had the cas answered true");
        }

        @Test
        void nullExpectedMeansAbsent() {
            assertLinearizable(cas(0, null, "v", true, 0, 10), get(1, "v", 11, 20));
            assertNotLinearizable(cas(0, null, "v", false, 0, 10));
            assertNotLinearizable(put(0, "1", 0, 10), cas(1, null, "v", true, 11, 20));
        }

        @Test
        void unknownCasAppliesOnlyOnTheExpectedValue() {
            assertLinearizable(put(0, "1", 0, 10), cas(1, "1", "2", false, 11, UNKNOWN), get(2, "2", 30, 40));
            assertLinearizable(put(0, "1", 0, 10), cas(1, "1", "2", false, 11, UNKNOWN), get(2, "1", 30, 40),
                    get(2, "2", 50, 60));
            assertNotLinearizable(put(0, "1", 0, 10), cas(1, "5", "2", false, 11, UNKNOWN), get(2, "2", 30, 40));
        }

        @Test
        void concurrentCasesOnlyOneWins() {
            assertLinearizable(put(0, "0", 0, 1), cas(1, "0", "1", true, 2, 10), cas(2, "0", "2", false, 2, 10),
                    get(3, "1", 11, 12));
            assertNotLinearizable(put(0, "0", 0, 1), cas(1, "0", "1", true, 2, 10), cas(2, "0", "2", true, 2, 10));
        }
    }

    @Nested
    class Appends {

        @Test
        void appendingToAnAbsentKeyCreatesIt() {
            assertLinearizable(append(0, "a", 0, 10), append(0, "b", 11, 20), get(1, "ab", 21, 30));
        }

        @Test
        void aDuplicatedApplyIsAViolation() {
            assertNotLinearizable(append(0, "a", 0, 10), get(1, "aa", 20, 30));
        }

        @Test
        void concurrentAppendsInEitherOrderButNoneLost() {
            assertLinearizable(append(0, "a", 0, 100), append(1, "b", 0, 100), get(2, "ab", 110, 120));
            assertLinearizable(append(0, "a", 0, 100), append(1, "b", 0, 100), get(2, "ba", 110, 120));
            assertNotLinearizable(append(0, "a", 0, 100), append(1, "b", 0, 100), get(2, "a", 110, 120));
        }

        @Test
        void oldUnknownAppendsDoNotMakeTheSearchExplode() {
            // Twelve appends time out early on; then many rounds of delete, append, read; the last read is
            // impossible. Every unknown append may still land anywhere, so a plain search retries them in every
            // order at every round before it can give up.
            List<Operation> ops = new ArrayList<>();
            for (int u = 0; u < 12; u++) {
                ops.add(append(u, "+" + u, u, UNKNOWN));
            }
            long t = 100;
            for (int round = 0; round < 30; round++, t += 10) {
                ops.add(Operation.delete(20, "x", t, t + 1));
                ops.add(append(20, "r" + round, t + 2, t + 3));
                ops.add(get(21, "r" + round, t + 4, t + 5));
            }
            ops.add(get(21, "impossible", t, t + 1));
            Result result = new LinearizabilityChecker(200_000).check(new History(ops));
            assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.NOT_LINEARIZABLE);
        }

        @Test
        void aConcurrentPutMayResetTheString() {
            // The read's value does not extend "a": only fine because the put can fall between the two appends.
            assertLinearizable(append(0, "a", 0, 10), put(1, "z", 5, 50), append(0, "b", 20, 30),
                    get(2, "zb", 60, 70));
            assertLinearizable(append(0, "a", 0, 10), put(1, "z", 5, UNKNOWN), get(2, "z", 60, 70));
            // Here the put starts after both appends ended, so nothing can follow it.
            assertNotLinearizable(append(0, "a", 0, 10), append(0, "b", 20, 30), put(1, "z", 35, 50),
                    get(2, "zb", 60, 70));
        }
    }

    @Nested
    class Reporting {

        @Test
        void theFailingPrefixStopsAtTheFirstUnexplainableAnswer() {
            Operation write = put(0, "1", 0, 10);
            Operation lostWrite = get(1, null, 20, 30);
            Result result = assertNotLinearizable(write, lostWrite, put(0, "2", 40, 50), get(1, "2", 60, 70),
                    put(0, "3", 80, 90));
            assertThat(result.failingPrefix()).containsExactly(write, lostWrite);
            assertThat(result.explanation()).contains("up to the return of " + lostWrite);
        }

        @Test
        void operationsRunningAtTheCutAreUnknownInThePrefix() {
            Operation slowWrite = put(2, "9", 5, 100);
            Result result = assertNotLinearizable(put(0, "1", 0, 10), slowWrite, get(1, "7", 20, 30));
            assertThat(result.failingPrefix()).contains(slowWrite.withUnknownOutcome());
        }

        @Test
        void runningOutOfBudgetIsAFailureNotAPass() {
            LinearizabilityChecker stingy = new LinearizabilityChecker(2);
            Result result = stingy.check(History.of(put(0, "1", 0, 10), get(1, "1", 20, 30), get(1, "1", 40, 50)));
            assertThat(result.verdict()).isEqualTo(Verdict.BUDGET_EXCEEDED);
            assertThat(result.isLinearizable()).isFalse();
            assertThat(result.key()).isEqualTo("x");
        }

        @Test
        void aProvenViolationOutranksAnUndecidedKey() {
            LinearizabilityChecker stingy = new LinearizabilityChecker(6);
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ops.add(Operation.get(1, "a", null, 10L * i, 10L * i + 5)); // "a" sorts first and needs > 6 steps
            }
            assertThat(stingy.check(new History(ops)).verdict()).isEqualTo(Verdict.BUDGET_EXCEEDED);

            ops.add(Operation.get(2, "b", "1", 0, 10)); // refuted in a handful of steps
            Result result = stingy.check(new History(ops));
            assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(result.key()).isEqualTo("b");
        }
    }
}
