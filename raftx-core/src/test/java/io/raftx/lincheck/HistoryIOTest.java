package io.raftx.lincheck;

import static io.raftx.lincheck.Operation.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryIOTest {

    private static final History EVERY_KIND = History.of(
            Operation.put(0, "x", "1", 0, 10),
            Operation.get(1, "x", "1", 11, 20),
            Operation.get(1, "y", null, 11, 20),
            Operation.get(2, "x", null, 21, UNKNOWN),
            Operation.cas(2, "x", "1", "2", true, 12, 30),
            Operation.cas(2, "y", null, "v", false, 31, 40),
            Operation.cas(3, "x", "2", "3", false, 41, UNKNOWN),
            Operation.append(0, "x", "a", 31, UNKNOWN),
            Operation.delete(1, "x", 51, 60));

    @Test
    void writesAndReadsBackEveryKindOfOperation(@TempDir Path dir) {
        Path file = dir.resolve("history.jsonl");
        HistoryIO.write(EVERY_KIND, file);
        assertThat(HistoryIO.read(file)).isEqualTo(EVERY_KIND);
    }

    @Test
    void writesTheSharedFormat() {
        assertThat(HistoryIO.toJsonl(History.of(
                Operation.cas(3, "k", null, "w", true, 5, 9),
                Operation.put(4, "k", "v", 10, UNKNOWN))))
                .isEqualTo("""
                        {"clientId":3,"op":"cas","key":"k","expected":null,"value":"w","output":true,"call":5,"return":9}
                        {"clientId":4,"op":"put","key":"k","value":"v","call":10,"return":null}
                        """);
    }

    @Test
    void readsAJsonArrayLikeJsonl() {
        String array = """
                [
                 {"clientId":0,"op":"put","key":"x","value":"1","call":0,"return":10},
                 {"clientId":1,"op":"get","key":"x","output":null,"call":11,"return":20}
                ]
                """;
        String lines = """
                {"clientId":0,"op":"put","key":"x","value":"1","call":0,"return":10}

                {"clientId":1,"op":"get","key":"x","output":null,"call":11,"return":20}
                """;
        assertThat(HistoryIO.parse(array)).isEqualTo(HistoryIO.parse(lines)).isEqualTo(History.of(
                Operation.put(0, "x", "1", 0, 10), Operation.get(1, "x", null, 11, 20)));
    }

    @Test
    void unknownFlagOrNullReturnMeansUnknownOutcome() {
        History history = HistoryIO.parse("""
                {"clientId":0,"op":"append","key":"l","value":"a","call":0,"unknown":true}
                {"clientId":1,"op":"put","key":"l","value":"b","call":1,"return":null}
                {"clientId":2,"op":"get","key":"l","call":2,"return":7,"unknown":true}
                """);
        assertThat(history.operations()).allMatch(Operation::isUnknown);
    }

    @Test
    void rejectsRecordsThatWouldHaveToBeGuessed() {
        assertThatThrownBy(() -> HistoryIO.parse("""
                {"clientId":0,"op":"put","key":"x","value":"1","call":0,"return":10}
                {"clientId":1,"op":"get","key":"x","call":11,"return":20}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("missing 'output'");
        assertThatThrownBy(() -> HistoryIO.parse("""
                {"clientId":0,"op":"put","key":"x","value":"1","call":0}
                """)).hasMessageContaining("no 'return'");
        assertThatThrownBy(() -> HistoryIO.parse("""
                [{"clientId":0,"op":"incr","key":"x","call":0,"return":1}]
                """)).hasMessageContaining("record 1").hasMessageContaining("unknown op 'incr'");
        assertThatThrownBy(() -> HistoryIO.parse("""
                {"clientId":0,"op":"cas","key":"x","value":"1","output":true,"call":0,"return":1}
                """)).hasMessageContaining("missing 'expected'");
        assertThatThrownBy(() -> HistoryIO.parse("{not json")).hasMessageContaining("not valid JSON");
    }
}
