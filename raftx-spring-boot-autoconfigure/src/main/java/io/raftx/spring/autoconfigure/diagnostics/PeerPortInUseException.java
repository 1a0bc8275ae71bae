package io.raftx.spring.autoconfigure.diagnostics;

/** The peer transport cannot listen on its address because the port is taken. */
public class PeerPortInUseException extends RuntimeException {

    private final String host;
    private final int port;

    public PeerPortInUseException(String host, int port, Throwable cause) {
        super("Peer port " + host + ":" + port + " is already in use", cause);
        this.host = host;
        this.port = port;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }
}
