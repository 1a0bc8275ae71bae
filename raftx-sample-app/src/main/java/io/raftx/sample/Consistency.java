package io.raftx.sample;

import io.raftx.node.ReadConsistency;
import java.util.Locale;

/** The {@code consistency} request parameter: linearizable, lease or local, in any case. */
final class Consistency {

    private Consistency() {
    }

    static ReadConsistency parse(String text) {
        try {
            return ReadConsistency.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("consistency must be linearizable, lease or local, not '" + text + "'");
        }
    }
}
