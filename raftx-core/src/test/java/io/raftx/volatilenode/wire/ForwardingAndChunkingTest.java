package io.raftx.volatilenode.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileValue;
import io.raftx.volatiles.WriteOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForwardingAndChunkingTest {

    @Test
    void requestsAndRepliesRoundTrip() {
        for (ForwardedRequest r : List.of(ForwardedRequest.write(-5, VolatileOp.putIfAbsent("l", new byte[]{1}, 9)),
                ForwardedRequest.write(6, VolatileOp.removeFromSet("s", "m")), ForwardedRequest.read(7, "k.x"))) {
            assertThat(ForwardingCodec.decodeRequest(ForwardingCodec.encode(r))).isEqualTo(r);
        }
        for (ForwardedReply r : List.of(
                ForwardedReply.refused(1, Admission.Refusal.NOT_LEADER, "n2"),
                ForwardedReply.refused(2, Admission.Refusal.RECOVERING, null),
                ForwardedReply.written(3, new WriteOutcome(0, WriteOutcome.Status.CONDITION_FAILED, 77, 3)),
                ForwardedReply.read(4, new ReadResult(0, ReadResult.Status.OK, "k", VolatileValue.set(Map.of("a", 1L), 1), 12)),
                ForwardedReply.read(5, new ReadResult(0, ReadResult.Status.OK, "k", null, 12)),
                ForwardedReply.read(6, new ReadResult(0, ReadResult.Status.TIMED_OUT, "k", null, 0)))) {
            assertThat(ForwardingCodec.decodeReply(ForwardingCodec.encode(r))).usingRecursiveComparison().isEqualTo(r);
        }
    }

    @Test
    void forwardedExpiriesAndUnknownKindsAreRefused() {
        byte[] read = ForwardingCodec.encode(ForwardedRequest.read(1, "k"));
        read[2] = 9;
        assertThatThrownBy(() -> ForwardingCodec.decodeRequest(read)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("request kind");
        byte[] reply = ForwardingCodec.encode(ForwardedReply.refused(1, Admission.Refusal.NO_QUORUM, null));
        reply[3] = 0;
        assertThatThrownBy(() -> ForwardingCodec.decodeReply(reply)).hasMessageContaining("refusal");
        assertThatThrownBy(() -> FrameKind.of(new byte[]{99})).hasMessageContaining("unknown frame kind 99");
    }

    @Test
    void largeFramesAreChunkedAndReassembledInAnyOrder() {
        byte[] frame = new byte[10_000];
        new Random(3).nextBytes(frame);
        List<byte[]> chunks = new ArrayList<>(FrameChunker.split(frame, 11, 999));
        assertThat(chunks).hasSize(11);
        Collections.shuffle(chunks, new Random(5));
        chunks.add(chunks.get(0)); // a duplicate is ignored
        ChunkAssembler assembler = new ChunkAssembler(1 << 20, 2, 10);
        byte[] whole = null;
        for (byte[] c : chunks) {
            assertThat(FrameKind.of(c)).isEqualTo(FrameKind.CHUNK);
            byte[] out = assembler.offer("n1", FrameKind.body(c));
            if (out != null) {
                assertThat(whole).isNull();
                whole = out;
            }
        }
        assertThat(whole).isEqualTo(frame);
        assertThat(FrameChunker.split(frame, 1, frame.length)).containsExactly(frame);
    }

    @Test
    void incompleteFramesAreBoundedAndExpire() {
        ChunkAssembler assembler = new ChunkAssembler(1 << 20, 2, 3);
        for (long id = 1; id <= 3; id++) {
            assertThat(assembler.offer("n1", FrameKind.body(FrameChunker.split(new byte[100], id, 10).get(0)))).isNull();
        }
        assertThat(assembler.partialCount()).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assembler.tick();
        }
        assertThat(assembler.partialCount()).isZero();
        assertThat(assembler.droppedCount()).isEqualTo(3);
    }

    @Test
    void chunksAboveTheFrameLimitOrContradictingEachOtherAreRejected() {
        ChunkAssembler small = new ChunkAssembler(50, 2, 3);
        byte[] chunk = FrameChunker.split(new byte[100], 1, 10).get(0);
        assertThatThrownBy(() -> small.offer("n1", FrameKind.body(chunk))).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("total length");
        ChunkAssembler assembler = new ChunkAssembler(1 << 20, 2, 3);
        assembler.offer("n1", FrameKind.body(chunk));
        byte[] other = FrameChunker.split(new byte[200], 1, 10).get(1);
        assertThatThrownBy(() -> assembler.offer("n1", FrameKind.body(other))).hasMessageContaining("contradicts");
        byte[] truncated = Arrays.copyOf(FrameKind.body(chunk), 4);
        assertThatThrownBy(() -> assembler.offer("n1", truncated)).isInstanceOf(MalformedFrameException.class);
    }
}
