package io.raftx.lincheck;

import java.util.Objects;

/**
 * The sequential specification of one key: its state is the string it holds, or {@code null} when absent
 * (the initial state). The search asks {@link #allows} whether an operation's recorded answer is what the
 * key would have answered in that state, then moves to {@link #next}.
 */
final class RegisterModel {

    /** Every key starts absent. */
    static final String INITIAL = null;

    private RegisterModel() {
    }

    static boolean allows(Operation op, String state) {
        if (op.isUnknown()) {
            // No answer to contradict: any state is fine (an unknown get is a no-op and is dropped earlier).
            return true;
        }
        return switch (op.kind()) {
            case PUT, APPEND, DELETE -> true;
            case GET -> Objects.equals(state, op.readValue());
            // A cas that reported failure is a legal answer only if the key did not hold the expected value.
            case CAS -> Objects.equals(state, op.expected()) == op.casSucceeded();
        };
    }

    static String next(Operation op, String state) {
        return switch (op.kind()) {
            case PUT -> op.value();
            case DELETE -> null;
            // Appending to an absent key creates it.
            case APPEND -> state == null ? op.value() : state + op.value();
            case GET -> state;
            // For an unknown cas this is the only effect it can have when it does take effect.
            case CAS -> Objects.equals(state, op.expected()) ? op.value() : state;
        };
    }
}
