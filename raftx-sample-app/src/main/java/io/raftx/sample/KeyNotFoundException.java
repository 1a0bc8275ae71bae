package io.raftx.sample;

/** The key does not exist; answered with 404. */
class KeyNotFoundException extends RuntimeException {

    KeyNotFoundException(String key) {
        super("key '" + key + "' not found");
    }
}
