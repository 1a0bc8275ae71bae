package io.raftx.server;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;
import io.raftx.storage.ForceNewCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code NodeMain force-new-cluster --id=ID --address=HOST:PORT --data-dir=DIR [--survivors=HOST:PORT,...]
 * [--confirm-behind]}: makes a stopped survivor the only voter of its cluster ({@link ForceNewCluster}). Before
 * anything is changed it asks every other survivor still running (their client addresses) for its log position, and
 * refuses if one holds more of the log than this node, unless {@code --confirm-behind} says to lose what only they
 * hold.
 */
final class ForceNewClusterCommand {

    private ForceNewClusterCommand() {
    }

    static ForceNewCluster.LogState run(CommandArguments args, PrintStream err) {
        String id = args.required("id");
        String address = args.required("address");
        Path dataDir = Path.of(args.required("data-dir"));
        ForceNewCluster.LogState mine = ForceNewCluster.inspect(dataDir, id);
        err.println("WARNING: force-new-cluster on node " + id + " (" + mine.describe() + "). It becomes the only "
                + "member of its cluster: every entry in its log counts as committed, and whatever the lost majority "
                + "committed that never reached this node is gone. Use it only if a majority is lost for good.");
        List<String> ahead = new ArrayList<>();
        for (String survivor : args.optional("survivors", "").split(",")) {
            if (!survivor.isBlank()) {
                check(survivor.strip(), mine, ahead, err);
            }
        }
        if (!ahead.isEmpty() && !args.flag("confirm-behind")) {
            throw new IllegalStateException("refusing to force a new cluster from node " + id + ": " + String.join(
                    "; ", ahead) + ". Run force-new-cluster on the survivor with the longest log instead (stop it "
                    + "first), or add --confirm-behind to go ahead and lose the entries only the others hold");
        }
        ahead.forEach(a -> err.println("WARNING: going ahead although " + a + " (--confirm-behind)"));
        ForceNewCluster.LogState before = ForceNewCluster.rewrite(dataDir, id, address);
        err.println("WARNING: node " + id + " is now the only voter of its cluster. Start it, wipe the data "
                + "directories of every other old member, and add members back one at a time as new nodes.");
        return before;
    }

    private static void check(String survivor, ForceNewCluster.LogState mine, List<String> ahead, PrintStream err) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(survivor).usePlaintext().build();
        try {
            StatusResponse s = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance());
            if (s.getLastIndex() > mine.lastIndex() || s.getCommitIndex() > mine.lastIndex()) {
                ahead.add("survivor " + s.getNodeId() + " at " + survivor + " has last index " + s.getLastIndex()
                        + " (commit " + s.getCommitIndex() + "), beyond this node's " + mine.lastIndex());
            } else {
                err.println("survivor " + s.getNodeId() + " at " + survivor + ": last index " + s.getLastIndex()
                        + ", not ahead of this node's " + mine.lastIndex());
            }
        } catch (StatusRuntimeException e) {
            err.println("WARNING: could not ask survivor " + survivor + " for its log (" + e.getStatus().getCode()
                    + "); if it is alive and ahead of this node, what only it holds will be lost");
        } finally {
            channel.shutdownNow();
        }
    }
}
