package io.raftx.lincheck;

import java.util.Locale;

/** The operations of the key-value register model; the JSON name is the lower-case constant name. */
public enum OpKind {
    PUT, GET, CAS, DELETE, APPEND;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OpKind fromJsonName(String name) {
        for (OpKind kind : values()) {
            if (kind.jsonName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown op '" + name + "' (expected put, get, cas, delete or append)");
    }
}
