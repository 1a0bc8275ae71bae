package io.raftx.server;

import io.raftx.snapshot.BackupFile;
import io.raftx.snapshot.ClusterRestore;
import java.nio.file.Path;

/**
 * {@code NodeMain restore --backup=FILE --id=ID --data-dir=DIR --cluster-id=NEW --members=id=host:port,...
 * [--expect-cluster=OLD]}: writes member {@code ID}'s data directory of a new cluster from a backup
 * ({@link ClusterRestore}). Run it for every member, then start each with {@code --cluster-id=NEW}.
 */
final class RestoreCommand {

    private RestoreCommand() {
    }

    static BackupFile run(CommandArguments args) {
        ClusterRestore.Plan plan = new ClusterRestore.Plan(args.required("cluster-id"), args.members("members"),
                args.optional("expect-cluster", null));
        return ClusterRestore.restore(Path.of(args.required("backup")), plan, args.required("id"),
                Path.of(args.required("data-dir")));
    }
}
