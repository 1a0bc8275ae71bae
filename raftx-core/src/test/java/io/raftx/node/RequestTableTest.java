package io.raftx.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The request table behaves like a linked hash map that drops its eldest entry beyond the window. */
class RequestTableTest {

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 2, 7, 16, 100, 1_000})
    void matchesALinkedHashMapWithTheSameWindow(int window) {
        RequestTable table = new RequestTable(window);
        Map<Command.RequestId, Applied> model = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(window);
        for (long index = 1; index <= 20_000; index++) {
            // few clients and sequence numbers that repeat: lookups of present, evicted and unknown ids alike
            Command.RequestId id = new Command.RequestId(random.nextLong(4), random.nextLong(window * 3L + 5));
            Applied expected = model.get(id);
            Applied actual = table.get(id);
            assertThat(actual == null ? null : actual.index()).isEqualTo(expected == null ? null : expected.index());
            if (expected == null) {
                Applied outcome = new Applied(index, new byte[] {(byte) index});
                table.add(id, outcome);
                model.put(id, outcome);
                if (model.size() > window) {
                    model.remove(model.keySet().iterator().next());
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        RequestTable.Contents copy = table.copy();
        List<Command.RequestId> order = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (int i = 0; i < copy.clients().length; i++) {
            order.add(new Command.RequestId(copy.clients()[i], copy.sequences()[i]));
            indexes.add(copy.indexes()[i]);
            assertThat(copy.results()[i]).isSameAs(model.get(order.get(i)).result());
        }
        assertThat(order).containsExactlyElementsOf(model.keySet());
        assertThat(indexes).containsExactlyElementsOf(model.values().stream().map(Applied::index).toList());
        model.forEach((id, outcome) -> assertThat(table.get(id).result()).isEqualTo(outcome.result()));
    }

    @Test
    void aWindowBelowOneIsRefused() {
        assertThatThrownBy(() -> new RequestTable(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
