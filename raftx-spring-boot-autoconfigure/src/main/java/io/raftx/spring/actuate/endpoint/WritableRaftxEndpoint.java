package io.raftx.spring.actuate.endpoint;

import io.raftx.spring.core.RaftxClusterOperations;
import io.raftx.spring.core.RaftxException;
import io.raftx.spring.core.RaftxInvalidRequestException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code raftx} endpoint with its write operation, only registered when {@code raftx.management.write-enabled}
 * is true. {@code POST /actuator/raftx/leader} with {@code {"to":"n2"}} hands leadership to n2 (send it to the
 * leader). Membership operations will be added as further resources when the node supports them.
 */
@Endpoint(id = "raftx")
public class WritableRaftxEndpoint extends RaftxEndpoint {

    static final String LEADER = "leader";

    public WritableRaftxEndpoint(RaftxClusterOperations cluster) {
        super(cluster);
    }

    @WriteOperation
    public WebEndpointResponse<Object> write(@Selector String resource, @Nullable String to) {
        if (!LEADER.equals(resource)) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "unknown resource '" + resource
                    + "'; POST /actuator/raftx/leader {\"to\":\"<node id>\"} transfers leadership");
        }
        try {
            cluster().transferLeadership(to);
            return new WebEndpointResponse<>(node());
        } catch (RaftxInvalidRequestException e) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
        } catch (RaftxException e) {
            return error(e.definitelyNotApplied() ? WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE : 504,
                    e.getMessage());
        }
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        return new WebEndpointResponse<>(Map.of("error", message), status);
    }
}
