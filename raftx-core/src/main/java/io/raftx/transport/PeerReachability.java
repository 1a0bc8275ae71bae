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

    /**
     * Registers the listener told the id of each peer that, after its connection was refused or reset, refused a new
     * connection too: nothing listens at its address any more, so its process is gone (or has not come back yet).
     * Stronger than {@link #onPeerUnreachable} (a broken connection under a live peer is not reported here), still a
     * hint. Call before {@link Transport#start}; called from transport threads, it must not block.
     */
    void onPeerDown(Consumer<String> listener);

    /**
     * Checks now, in the background, whether anything listens at {@code peer}'s address, and tells the
     * {@link #onPeerDown} listener if not. For a node that has reason to doubt a peer (another node asks for
     * pre-votes while this one still follows that peer) and need not wait for its own connection to break.
     */
    void probe(String peer);
}
