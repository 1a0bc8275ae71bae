package io.raftx.sample;

/** A documented API whose feature has not landed in RaftX yet; answered with 501. */
class NotAvailableYetException extends RuntimeException {

    NotAvailableYetException(String message) {
        super(message);
    }
}
