package io.raftx.transport;

import java.util.function.Consumer;

/**
 * A {@link Transport} that tells when it lost its connection to a peer: refused or reset, as when the peer's process
 * died and its operating system closed the sockets. A hint, not a verdict: a paused or cut-off peer closes nothing,
 * and a connection can break while the peer lives on.
 */
public interface PeerReachability {

    /**
     * Registers the listener told the id of each peer whose connection was refused or reset; call before
     * {@link Transport#start}. Called from transport threads; it must not block.
     */
    void onPeerUnreachable(Consumer<String> listener);
}
