package io.raftx.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standalone server's {@code --name=value} arguments ({@code --name} alone means {@code true}), and the
 * {@code id=host:port,...} member lists several commands take. Bad input throws {@link IllegalArgumentException}
 * with what was wrong; the caller prints it with the usage.
 */
final class CommandArguments {

    private final Map<String, String> values = new LinkedHashMap<>();

    CommandArguments(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() < 3) {
                throw new IllegalArgumentException("bad argument '" + a + "': use --name=value");
            }
            int eq = a.indexOf('=');
            values.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    String optional(String name, String otherwise) {
        String v = values.get(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /** {@code id=host:port,...} in the given order; empty when the argument is absent. */
    Map<String, String> members(String name) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String pair : values.getOrDefault(name, "").split(",")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("bad member '" + pair + "' in --" + name + ": use id=host:port");
                }
                if (members.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("member " + pair.substring(0, eq) + " is named twice in --"
                            + name);
                }
            }
        }
        return members;
    }
}
