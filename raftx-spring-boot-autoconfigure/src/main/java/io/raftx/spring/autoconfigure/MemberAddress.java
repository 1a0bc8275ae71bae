package io.raftx.spring.autoconfigure;

import io.raftx.raft.Membership;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A peer address, {@code host:port}, with IPv6 literals in brackets ({@code [::1]:7101}). Parsed here rather than
 * left to the transport so that a mistake names the property it came from.
 */
record MemberAddress(String host, int port) {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    static MemberAddress parse(String property, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRaftxPropertyException(property, text, "a peer address is required, as host:port");
        }
        String trimmed = text.trim();
        try {
            Membership.requireValidAddress(property, trimmed); // the rule members are checked against in the log
        } catch (IllegalArgumentException e) {
            throw new InvalidRaftxPropertyException(property, text, "expected host:port, e.g. 127.0.0.1:7101 or"
                    + " [::1]:7101, with a host of letters, digits, '.', '_' or '-'");
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new InvalidRaftxPropertyException(property, text, "expected host:port, e.g. 127.0.0.1:7101");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidRaftxPropertyException(property, text, "write IPv6 addresses in brackets, e.g. [::1]:7101");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidRaftxPropertyException(property, text, "the port is not a number");
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new InvalidRaftxPropertyException(property, text, "expected host:port with a port in 1..65535");
        }
        return new MemberAddress(host, port);
    }

    /** Judged from the text only: resolving names here could block start-up on DNS. */
    boolean isLoopback() {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }

    /** Host names compare case-insensitively, so {@code LOCALHOST:1} and {@code localhost:1} collide. */
    String normalized() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
