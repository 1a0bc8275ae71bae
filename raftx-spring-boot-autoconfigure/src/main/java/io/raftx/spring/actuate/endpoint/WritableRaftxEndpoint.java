package io.raftx.spring.actuate.endpoint;

import io.raftx.snapshot.BackupFile;
import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.RaftxException;
import io.raftx.spring.core.RaftxInvalidRequestException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.dao.DataAccessException;

/**
 * The {@code raftx} endpoint with write operations, registered only when {@code raftx.management.write-enabled} is
 * true. Each answers with the node's state afterwards, or {@code {"error": ...}} with 400 (bad request), 503 (not
 * applied) or 504 (outcome unknown):
 * <ul>
 *   <li>{@code POST /actuator/raftx/leader {"to":"n2"}}: hand leadership to n2 (send it to the leader);</li>
 *   <li>{@code POST /actuator/raftx/members {"id":"n4","address":"10.0.0.4:7101"}}: add n4 (started with
 *       {@code raftx.joining=true}); returns once it votes;</li>
 *   <li>{@code DELETE /actuator/raftx/members/n4}: remove n4;</li>
 *   <li>{@code POST /actuator/raftx/snapshot}: snapshot this node's state and compact its log;</li>
 *   <li>{@code POST /actuator/raftx/backup {"path":"/var/backups/raftx-1.backup"}}: write an online backup to that
 *       file on this node's file system (it must not exist); answers with what the backup holds.</li>
 * </ul>
 */
@Endpoint(id = "raftx")
public class WritableRaftxEndpoint extends RaftxEndpoint {

    static final String LEADER = "leader";
    static final String MEMBERS = "members";
    static final String SNAPSHOT = "snapshot";
    static final String BACKUP = "backup";
    private static final int GATEWAY_TIMEOUT = 504;

    public WritableRaftxEndpoint(RaftxClusterOperations cluster) {
        super(cluster);
    }

    @WriteOperation
    public WebEndpointResponse<Object> write(@Selector String resource, @Nullable String to, @Nullable String id,
                                             @Nullable String address, @Nullable String path) {
        return switch (resource) {
            case LEADER -> run(() -> cluster().transferLeadership(to));
            case MEMBERS -> run(() -> cluster().addMember(id, address));
            case SNAPSHOT -> run(cluster()::snapshot);
            case BACKUP -> backup(path);
            default -> error(WebEndpointResponse.STATUS_NOT_FOUND, "unknown resource '" + resource
                    + "'; POST /actuator/raftx/leader {\"to\":id}, /actuator/raftx/members {\"id\":..,\"address\":..}"
                    + ", /actuator/raftx/snapshot or /actuator/raftx/backup {\"path\":..}");
        };
    }

    @DeleteOperation
    public WebEndpointResponse<Object> delete(@Selector String resource, @Selector String id) {
        if (!MEMBERS.equals(resource)) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "unknown resource '" + resource
                    + "'; DELETE /actuator/raftx/members/{id} removes a member");
        }
        return run(() -> cluster().removeMember(id));
    }

    private WebEndpointResponse<Object> backup(@Nullable String path) {
        if (path == null || path.isBlank()) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "give the file to write: {\"path\":\"/var/backups/"
                    + "raftx-1.backup\"} (on this node's file system; it must not exist)");
        }
        BackupFile[] written = new BackupFile[1];
        WebEndpointResponse<Object> failed = run(() -> written[0] = cluster().backup(Path.of(path)));
        if (written[0] == null) {
            return failed;
        }
        BackupFile b = written[0];
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", Path.of(path).toAbsolutePath().toString());
        body.put("clusterId", b.clusterId());
        body.put("sourceNodeId", b.sourceNodeId());
        body.put("created", b.created().toString());
        body.put("index", b.snapshot().index());
        body.put("term", b.snapshot().term());
        body.put("voters", b.snapshot().membership().voters());
        body.put("learners", b.snapshot().membership().learners());
        body.put("size", b.size());
        return new WebEndpointResponse<>(body);
    }

    private WebEndpointResponse<Object> run(Runnable operation) {
        try {
            operation.run();
            return new WebEndpointResponse<>(node());
        } catch (RaftxInvalidRequestException e) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
        } catch (DataAccessException e) {
            return error(e instanceof RaftxException r && r.definitelyNotApplied() ? WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE : GATEWAY_TIMEOUT,
                    e.getMessage());
        }
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        return new WebEndpointResponse<>(Map.of("error", message), status);
    }
}
