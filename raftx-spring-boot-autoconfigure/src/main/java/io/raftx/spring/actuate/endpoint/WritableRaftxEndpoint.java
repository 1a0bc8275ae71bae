package io.raftx.spring.actuate.endpoint;

import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.RaftxException;
import io.raftx.spring.core.RaftxInvalidRequestException;
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
 *   <li>{@code POST /actuator/raftx/snapshot}: snapshot this node's state and compact its log.</li>
 * </ul>
 */
@Endpoint(id = "raftx")
public class WritableRaftxEndpoint extends RaftxEndpoint {

    static final String LEADER = "leader";
    static final String MEMBERS = "members";
    static final String SNAPSHOT = "snapshot";
    private static final int GATEWAY_TIMEOUT = 504;

    public WritableRaftxEndpoint(RaftxClusterOperations cluster) {
        super(cluster);
    }

    @WriteOperation
    public WebEndpointResponse<Object> write(@Selector String resource, @Nullable String to, @Nullable String id,
                                             @Nullable String address) {
        return switch (resource) {
            case LEADER -> run(() -> cluster().transferLeadership(to));
            case MEMBERS -> run(() -> cluster().addMember(id, address));
            case SNAPSHOT -> run(cluster()::snapshot);
            default -> error(WebEndpointResponse.STATUS_NOT_FOUND, "unknown resource '" + resource
                    + "'; POST /actuator/raftx/leader {\"to\":id}, /actuator/raftx/members {\"id\":..,\"address\":..}"
                    + " or /actuator/raftx/snapshot");
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
