/**
 * Binary formats of the volatile channel. Every payload starts with a {@link io.raftx.volatilenode.wire.FrameKind}
 * byte; every body with its own format version. {@link io.raftx.volatilenode.wire.VolatileCodec} encodes core
 * messages, {@link io.raftx.volatilenode.wire.ForwardingCodec} forwarded client requests and replies,
 * {@link io.raftx.volatilenode.wire.FrameChunker} and {@link io.raftx.volatilenode.wire.ChunkAssembler} large frames.
 * Decoding validates everything and fails with {@link io.raftx.volatilenode.wire.MalformedFrameException} naming the
 * field and byte offset; such frames are dropped whole.
 *
 * <p>Kept outside {@code io.raftx.volatiles} because that package (and its subpackages) must depend on nothing but
 * {@code java.lang} and {@code java.util} (checked by its purity test), and a codec needs UTF-8 decoding.
 */
package io.raftx.volatilenode.wire;
