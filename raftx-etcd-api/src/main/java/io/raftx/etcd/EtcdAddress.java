package io.raftx.etcd;

/** A client address {@code host:port} (IPv6 hosts in brackets), checked before anything binds it. */
final class EtcdAddress {

    private EtcdAddress() {
    }

    static String requireValid(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 1 || colon == address.length() - 1) {
            throw new IllegalArgumentException("etcd API address '" + address + "' is not host:port, e.g. 127.0.0.1:2379");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("etcd API address '" + address + "' has no port between 0 and 65535");
        }
        return address;
    }

    static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
