package io.raftx.transport;

/** A peer's {@code host:port} (IPv6 literals in brackets: {@code [::1]:7000}). */
record PeerAddress(String host, int port) {

    static PeerAddress parse(String nodeId, String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address of peer '" + nodeId + "' is missing; expected host:port");
        }
        String a = address.trim();
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException("address of peer '" + nodeId + "' is '" + address
                    + "'; expected host:port");
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("address of peer '" + nodeId + "' is '" + address
                    + "'; write IPv6 addresses in brackets, e.g. [::1]:7000");
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address of peer '" + nodeId + "' is '" + address
                    + "'; the port is not a number");
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("address of peer '" + nodeId + "' is '" + address
                    + "'; expected host:port with port 1..65535");
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
