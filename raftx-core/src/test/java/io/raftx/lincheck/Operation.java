package io.raftx.lincheck;

import java.util.Objects;

/**
 * One client operation on one key, as the client saw it: when it was invoked, when (if ever) the answer came,
 * and the answer.
 *
 * <p>{@code returnTime == UNKNOWN} means the outcome is unknown (timeout, lost connection, crash): the operation
 * may take effect at any moment after {@code call}, or never. Treating the return time as infinity is exactly
 * what makes that work in the search: the operation stays concurrent with everything invoked after it.
 *
 * @param clientId     the sequential client (process) that issued the operation
 * @param kind         what the operation does
 * @param key          the single key it touches; keys are independent, which is what lets the checker split
 * @param value        the value written by put / append / cas, {@code null} for get and delete
 * @param expected     cas only: the value the key must hold for the swap, {@code null} = key must be absent
 * @param readValue    get only, known outcome: the value read, {@code null} = key absent
 * @param casSucceeded cas only, known outcome: whether the swap happened
 * @param call         invocation time, on the one monotonic clock of the history
 * @param returnTime   response time on the same clock, or {@link #UNKNOWN}; the interval is closed
 */
public record Operation(int clientId, OpKind kind, String key, String value, String expected,
                        String readValue, boolean casSucceeded, long call, long returnTime) {

    /** Return time of an operation whose outcome is unknown: it never returned, so "infinitely late". */
    public static final long UNKNOWN = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        boolean writesValue = kind == OpKind.PUT || kind == OpKind.APPEND || kind == OpKind.CAS;
        if (writesValue != (value != null)) {
            throw new IllegalArgumentException(kind.jsonName() + (writesValue ? " needs a value" : " takes no value"));
        }
        if (kind != OpKind.CAS && expected != null) {
            throw new IllegalArgumentException("only cas has an expected value");
        }
        if (readValue != null && (kind != OpKind.GET || returnTime == UNKNOWN)) {
            throw new IllegalArgumentException("only a get with a known outcome has a read value");
        }
        if (casSucceeded && (kind != OpKind.CAS || returnTime == UNKNOWN)) {
            throw new IllegalArgumentException("only a cas with a known outcome can have succeeded");
        }
        if (call == UNKNOWN || returnTime < call) {
            throw new IllegalArgumentException("bad interval [" + call + ", " + returnTime + "]");
        }
    }

    public static Operation put(int clientId, String key, String value, long call, long returnTime) {
        return new Operation(clientId, OpKind.PUT, key, value, null, null, false, call, returnTime);
    }

    /** A get; {@code readValue == null} means the client saw the key absent. */
    public static Operation get(int clientId, String key, String readValue, long call, long returnTime) {
        return new Operation(clientId, OpKind.GET, key, null, null, readValue, false, call, returnTime);
    }

    public static Operation cas(int clientId, String key, String expected, String value, boolean succeeded,
                                long call, long returnTime) {
        return new Operation(clientId, OpKind.CAS, key, value, expected, null, succeeded, call, returnTime);
    }

    public static Operation delete(int clientId, String key, long call, long returnTime) {
        return new Operation(clientId, OpKind.DELETE, key, null, null, null, false, call, returnTime);
    }

    public static Operation append(int clientId, String key, String value, long call, long returnTime) {
        return new Operation(clientId, OpKind.APPEND, key, value, null, null, false, call, returnTime);
    }

    public boolean isUnknown() {
        return returnTime == UNKNOWN;
    }

    /** The same invocation with its answer forgotten: used to cut a history at a point in time. */
    public Operation withUnknownOutcome() {
        return new Operation(clientId, kind, key, value, expected, null, false, call, UNKNOWN);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case PUT, APPEND -> kind.jsonName() + "(" + key + ", " + quote(value) + ")";
            case DELETE -> "delete(" + key + ")";
            case GET -> "get(" + key + ")" + (isUnknown() ? "" : " -> " + quote(readValue));
            case CAS -> "cas(" + key + ", " + quote(expected) + " -> " + quote(value) + ")"
                    + (isUnknown() ? "" : " = " + casSucceeded);
        };
        return "c" + clientId + " " + what + " [" + call + ", " + (isUnknown() ? "unknown)" : returnTime + "]");
    }

    private static String quote(String s) {
        return s == null ? "absent" : "'" + s + "'";
    }
}
