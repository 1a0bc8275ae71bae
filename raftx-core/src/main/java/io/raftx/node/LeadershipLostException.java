package io.raftx.node;

/** The node we sent the request to stopped leading before appending it. Not applied; retry. */
public class LeadershipLostException extends NotAppliedException {

    public LeadershipLostException(String message) {
        super(message);
    }
}
