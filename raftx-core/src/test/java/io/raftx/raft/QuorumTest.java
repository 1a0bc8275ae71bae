package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of the majority rule. Each row names the voters and, per voter, a match index, a vote or an
 * acknowledgement ({@code _} = nothing heard from that voter); {@code x} is a node that is not a voter, whose answer
 * must never count.
 */
class QuorumTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # voter=match ...             | committed
            ''                            | 0
            a=0                           | 0
            a=7                           | 7
            a=5 b=3                       | 3
            a=5 b=5                       | 5
            a=1 b=2 c=3                   | 2
            a=3 b=3 c=1                   | 3
            a=9 b=0 c=0                   | 0
            a=2 b=8 c=5 d=5               | 5
            a=2 b=8 c=5 d=1               | 2
            a=1 b=2 c=3 d=4 e=5           | 3
            a=5 b=5 c=1 d=1 e=1           | 1
            a=5 b=5 c=5 d=1 e=1           | 5
            a=10 b=20 c=30 d=40 e=50 f=60 g=70 | 40
            """)
    void committedIndexIsWhatAMajorityMatched(String matches, long committed) {
        Map<String, Long> match = new HashMap<>();
        parse(matches).forEach((voter, value) -> match.put(voter, Long.parseLong(value)));
        assertThat(new Quorum(match.keySet()).committedIndex(match::get)).isEqualTo(committed);
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # voters  | answers (y = granted, n = refused) | result
            a         | ''                                  | PENDING
            a         | a=y                                 | WON
            a         | a=n                                 | LOST
            a b       | a=y                                 | PENDING
            a b       | a=y b=y                             | WON
            a b       | a=y b=n                             | PENDING
            a b       | a=n b=n                             | LOST
            a b c     | a=y                                 | PENDING
            a b c     | a=y b=y                             | WON
            a b c     | a=y b=n                             | PENDING
            a b c     | a=y b=n c=n                         | LOST
            a b c     | a=n c=n                             | LOST
            a b c     | a=y x=y                             | PENDING
            a b c     | a=n x=n y=n                         | PENDING
            a b c d   | a=y b=y                             | PENDING
            a b c d   | a=y b=y c=y                         | WON
            a b c d   | a=y b=n c=n                         | PENDING
            a b c d   | a=n b=n c=n                         | LOST
            a b c d e | a=y b=y c=n d=n                     | PENDING
            a b c d e | a=y b=y c=n d=n e=y                 | WON
            a b c d e | a=y b=y c=n d=n e=n                 | LOST
            """)
    void voteResultNeedsAMajorityEitherWay(String voters, String answers, Quorum.VoteResult result) {
        Map<String, Boolean> votes = new LinkedHashMap<>();
        parse(answers).forEach((node, answer) -> votes.put(node, answer.equals("y")));
        assertThat(new Quorum(Set.of(voters.split(" "))).voteResult(votes)).isEqualTo(result);
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # voters    | acknowledged | reached
            a           | ''           | false
            a           | a            | true
            a b         | a            | false
            a b         | a b          | true
            a b c       | a            | false
            a b c       | b c          | true
            a b c       | a x y        | false
            a b c d     | a b          | false
            a b c d     | a c d        | true
            a b c d e   | a b          | false
            a b c d e   | c d e        | true
            a b c d e f g | a b c      | false
            a b c d e f g | a b c g    | true
            """)
    void acknowledgementsReachAMajority(String voters, String acknowledged, boolean reached) {
        Set<String> acks = acknowledged.isEmpty() ? Set.of() : Set.of(acknowledged.split(" "));
        assertThat(new Quorum(Set.of(voters.split(" "))).reached(acks::contains)).isEqualTo(reached);
    }

    @ParameterizedTest(name = "{0} voters -> {1}")
    @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "6, 4", "7, 4", "9, 5"})
    void majorityIsMoreThanHalf(int voters, int majority) {
        assertThat(Quorum.majority(voters)).isEqualTo(majority);
    }

    /** "a=1 b=2" to {a: "1", b: "2"}, in order. */
    private static Map<String, String> parse(String pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!pairs.isBlank()) {
            for (String pair : pairs.trim().split("\\s+")) {
                String[] kv = pair.split("=");
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }
}
