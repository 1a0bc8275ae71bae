package io.raftx.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftx.it.VolatileTestApi;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The standalone node of {@link NodeMain} for the multi-process fault suite, plus the test-only volatile service
 * ({@link VolatileTestApi}) on {@code --volatile-port} (loopback): the standalone server has no client API for the
 * volatile keyspace. Same arguments as {@link NodeMain} otherwise; prints {@code READY id} once both serve.
 */
public final class FaultNodeMain {

    private FaultNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        ServerSettings settings = NodeMain.settings(args);
        int volatilePort = Integer.parseInt(argument(args, "volatile-port"));
        RaftxServer server = new RaftxServer(settings).start();
        Server volatileApi = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", volatilePort))
                .directExecutor().addService(VolatileTestApi.service(server.volatiles())).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            volatileApi.shutdownNow();
            server.close();
        }));
        System.out.println("READY " + settings.nodeId());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static String argument(String[] args, String name) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        throw new IllegalArgumentException("--" + name + " is required");
    }
}
