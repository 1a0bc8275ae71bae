package io.raftx.sample;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT|GET|DELETE /volatile/{key}}: the volatile (memory-only, TTL'd) keyspace. Its replication core exists,
 * but the node runtime does not serve it yet, so every request is answered 501.
 */
@RestController
class VolatileController {

    @RequestMapping("/volatile/**")
    void anyRequest() {
        throw new NotAvailableYetException("volatile keys are not available yet in this version of RaftX;"
                + " use /kv for persistent keys");
    }
}
