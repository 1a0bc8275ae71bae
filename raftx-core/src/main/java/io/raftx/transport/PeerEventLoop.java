package io.raftx.transport;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread of a peer's outbound side: it does the channel's network I/O and is also its callback executor and
 * the thread the replication stream and the unary calls run on. A message handed over by the node's loop thus
 * reaches the socket with one thread hand-off (loop to this thread) instead of two (loop to a peer thread, then to
 * a shared network thread), and replies are handled where they arrive; at one request in flight every hand-off is
 * on the write's critical path. Per-peer ordering is unchanged: one thread still does everything for the peer.
 */
final class PeerEventLoop {

    private final EventLoopGroup group;
    private final EventLoop loop;

    PeerEventLoop(String threadName) {
        DefaultThreadFactory threads = new DefaultThreadFactory(threadName, true);
        this.group = Epoll.isAvailable() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        this.loop = group.next();
    }

    /** Has the channel do its I/O on this thread and run its callbacks here. */
    NettyChannelBuilder configure(NettyChannelBuilder builder) {
        return builder.eventLoopGroup(group)
                .channelType(group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class)
                .executor(loop);
    }

    /** The thread as an executor; tasks run in order, delayed tasks are dropped when it stops. */
    ScheduledExecutorService executor() {
        return loop;
    }

    /** Stops the thread (after the channel is shut down) and waits for it until {@code deadlineNanos}. */
    void shutdown(long deadlineNanos) throws InterruptedException {
        group.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
        group.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
