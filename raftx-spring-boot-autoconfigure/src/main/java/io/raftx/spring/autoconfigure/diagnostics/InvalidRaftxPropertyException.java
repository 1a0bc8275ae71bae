package io.raftx.spring.autoconfigure.diagnostics;

/** A {@code raftx.*} property has a value the node cannot start with. */
public class InvalidRaftxPropertyException extends RuntimeException {

    private final String property;
    private final String value;
    private final String reason;

    /**
     * @param value the offending value as shown to the user, or null to hide it (secrets)
     */
    public InvalidRaftxPropertyException(String property, String value, String reason) {
        super("Invalid value " + (value == null ? "" : "'" + value + "' ") + "for " + property + ": " + reason);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    public String getProperty() {
        return property;
    }

    public String getValue() {
        return value;
    }

    public String getReason() {
        return reason;
    }
}
