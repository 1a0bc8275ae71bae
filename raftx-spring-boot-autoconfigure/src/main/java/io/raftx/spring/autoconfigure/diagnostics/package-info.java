/**
 * Start-up failures caused by {@code raftx.*} configuration, and the failure analyzers that explain what to change.
 */
package io.raftx.spring.autoconfigure.diagnostics;
