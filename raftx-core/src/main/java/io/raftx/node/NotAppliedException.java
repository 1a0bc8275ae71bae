package io.raftx.node;

/** The request was definitely not applied; it is safe to retry. */
public class NotAppliedException extends RaftException {

    public NotAppliedException(String message) {
        super(message);
    }

    @Override
    public boolean definitelyNotApplied() {
        return true;
    }
}
