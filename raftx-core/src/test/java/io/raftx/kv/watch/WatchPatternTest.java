package io.raftx.kv.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WatchPatternTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            // exact keys
            "ai.model,           ai.model,            true",
            "ai.model,           ai.models,           false",
            "ai.model,           ai,                  false",
            "ai.model,           ai.model.x,          false",
            // * is exactly one non-empty segment
            "ai.*,               ai.x,                true",
            "ai.*,               ai.threshold,        true",
            "ai.*,               ai.x.y,              false",
            "ai.*,               ai,                  false",
            "ai.*,               ai.,                 false",
            "ai.*,               aix,                 false",
            "*,                  ai,                  true",
            "*,                  ai.x,                false",
            "a.*.c,              a.b.c,               true",
            "a.*.c,              a.bb.c,              true",
            "a.*.c,              a.b.d,               false",
            "a.*.c,              a..c,                false",
            "*.*,                a.b,                 true",
            // ** is any non-empty suffix, as the last segment
            "ai.**,              ai.model.threshold,  true",
            "ai.**,              ai.x,                true",
            "ai.**,              ai.a.b.c.d,          true",
            "ai.**,              ai,                  false",
            "ai.**,              ai.,                 false",
            "ai.**,              aix.y,               false",
            "ai.**,              security.ai.x,       false",
            "**,                 anything,            true",
            "**,                 any.thing.at.all,    true",
            "*.b.**,             a.b.c,               true",
            "*.b.**,             a.b,                 false",
            "*.b.**,             a.c.d,               false",
            // multi-byte UTF-8 segments
            "配置.*,              配置.阈值,             true",
            "配置.*,              配置x.阈值,            false",
    })
    void matchingTable(String pattern, String key, boolean matches) {
        assertThat(WatchPattern.compile(pattern).matches(key)).isEqualTo(matches);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyPatternIsRejected(String pattern) {
        assertThatThrownBy(() -> WatchPattern.compile(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("watch pattern must not be empty; use '**' to watch every key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a..b    | segment 2 is empty",
            ".a      | segment 1 is empty",
            "a.      | segment 2 is empty",
            "a*      | '*' must be a whole segment (found 'a*')",
            "a.b*c.d | '*' must be a whole segment (found 'b*c')",
            "***     | '*' must be a whole segment (found '***')",
            "**.a    | '**' is only allowed as the last segment",
            "a.**.b  | '**' is only allowed as the last segment",
    })
    void invalidPatternsSayWhatIsWrong(String pattern, String why) {
        assertThatThrownBy(() -> WatchPattern.compile(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid watch pattern '" + pattern + "': " + why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.b", "*", "**", "a.*", "a.**", "*.*.**"})
    void validPatternsKeepTheirText(String pattern) {
        assertThat(WatchPattern.compile(pattern)).hasToString(pattern);
    }
}
