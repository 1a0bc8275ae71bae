package io.raftx.lincheck;

import java.util.List;

/**
 * The doubly linked list of events the Wing &amp; Gong search walks. Linearizing an operation "lifts" its call
 * and return out of the list; backtracking puts them back. Lifts and unlifts happen in stack order, so a removed
 * node still knows its neighbours and reinsertion is O(1) (dancing links).
 *
 * <p>Node 0 is the head sentinel; the call of operation i is node 2i+1, its return node 2i+2.
 */
final class EventList {

    static final int END = -1;
    private static final int HEAD = 0;

    private final int[] next;
    private final int[] prev;
    private final boolean[] hasReturn;

    EventList(List<Operation> ops) {
        int nodes = 2 * ops.size() + 1;
        next = new int[nodes];
        prev = new int[nodes];
        hasReturn = new boolean[ops.size()];
        int last = HEAD;
        for (Events.Event e : Events.sorted(ops)) {
            int node = e.isReturn() ? returnNode(e.op()) : callNode(e.op());
            hasReturn[e.op()] |= e.isReturn();
            next[last] = node;
            prev[node] = last;
            last = node;
        }
        next[last] = END;
    }

    int first() {
        return next[HEAD];
    }

    int next(int node) {
        return next[node];
    }

    static boolean isCall(int node) {
        return node % 2 == 1;
    }

    static int opOf(int node) {
        return (node - 1) / 2;
    }

    static int callNode(int op) {
        return 2 * op + 1;
    }

    void lift(int op) {
        remove(callNode(op));
        if (hasReturn[op]) {
            remove(returnNode(op));
        }
    }

    /** Undoes the most recent {@link #lift} still in effect; must be called in reverse lift order. */
    void unlift(int op) {
        if (hasReturn[op]) {
            restore(returnNode(op));
        }
        restore(callNode(op));
    }

    private static int returnNode(int op) {
        return 2 * op + 2;
    }

    private void remove(int node) {
        next[prev[node]] = next[node];
        if (next[node] != END) {
            prev[next[node]] = prev[node];
        }
    }

    private void restore(int node) {
        next[prev[node]] = node;
        if (next[node] != END) {
            prev[next[node]] = node;
        }
    }
}
