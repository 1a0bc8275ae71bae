package io.raftx.node;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTest {

    @Test
    void everyKindAndExtremeIdsSurviveEncoding() {
        for (Command.Kind kind : Command.Kind.values()) {
            for (long id : new long[]{0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L}) {
                Command c = new Command(kind, id, ~id, new byte[]{7, (byte) 0xFF, 0});
                Command back = Command.decode(c.encode());
                assertThat(back.kind()).isEqualTo(kind);
                assertThat(back.clientId()).isEqualTo(id);
                assertThat(back.sequence()).isEqualTo(~id);
                assertThat(back.payload()).containsExactly(7, 0xFF, 0);
            }
        }
        assertThat(Command.decode(new Command(Command.Kind.APPLY, 1, 2, new byte[0]).encode()).payload()).isEmpty();
    }

    @Test
    void bytesThatAreNoCommandAreRefusedWithWhatWasWrong() {
        byte[] good = new Command(Command.Kind.APPLY, 1, 2, new byte[]{1}).encode();
        byte[] badKind = good.clone();
        badKind[1] = 9;
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        for (byte[] bad : new byte[][]{new byte[3], badKind, badVersion}) {
            assertThatThrownBy(() -> Command.decode(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a RaftX command");
        }
    }
}
