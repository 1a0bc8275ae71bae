/**
 * Linearizability checking for histories recorded against the key-value store (test scope).
 *
 * <p>Typical use in a cluster test: each client thread wraps every request in
 * {@link io.raftx.lincheck.HistoryRecorder} calls ({@code invokeX} before sending, then {@code ok*}, {@code fail}
 * or {@code unknown}), and at the end the test asserts
 * {@code new LinearizabilityChecker().check(recorder.history()).isLinearizable()}, printing the
 * {@link io.raftx.lincheck.Result} (and saving {@code result.failingPrefix()} with {@link io.raftx.lincheck.HistoryIO}
 * to replay) on failure.
 *
 * <p>The history format and the test vectors are in {@code shared/linearizability/} beside the repository.
 */
package io.raftx.lincheck;
