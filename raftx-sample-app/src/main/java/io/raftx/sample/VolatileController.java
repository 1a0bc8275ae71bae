package io.raftx.sample;

import io.raftx.node.ReadConsistency;
import io.raftx.spring.core.StringRaftxTemplate;
import io.raftx.volatilenode.VolatileConsistency;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The volatile keyspace (memory-only, optional TTL), as text. {@code revision} is the write's volatile op index;
 * {@code linearizable} and {@code lease} reads go through the leader, {@code local} reads this node's copy.
 */
@RestController
@RequestMapping("/volatile")
class VolatileController {

    private final StringRaftxTemplate template;

    VolatileController(StringRaftxTemplate template) {
        this.template = template;
    }

    /** {@code ttl} as ISO-8601 ({@code PT30S}) or simple ({@code 30s}); absent = no expiry. */
    @PutMapping("/{key}")
    Map<String, Long> put(@PathVariable String key, @RequestBody(required = false) String value,
                          @RequestParam(required = false) String ttl) {
        return Map.of("revision", template.opsForVolatile().set(key, value == null ? "" : value, parseTtl(ttl)));
    }

    @GetMapping(value = "/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> get(@PathVariable String key,
                               @RequestParam(defaultValue = "linearizable") String consistency) {
        VolatileConsistency volatileConsistency = Consistency.parse(consistency) == ReadConsistency.LOCAL
                ? VolatileConsistency.LOCAL : VolatileConsistency.STRONG;
        return template.opsForVolatile().get(key, volatileConsistency)
                .map(ResponseEntity::ok)
                .orElseThrow(() -> new KeyNotFoundException(key));
    }

    @DeleteMapping("/{key}")
    Map<String, Boolean> delete(@PathVariable String key) {
        return Map.of("deleted", template.opsForVolatile().delete(key));
    }

    private static Duration parseTtl(String ttl) {
        if (ttl == null || ttl.isBlank()) {
            return null;
        }
        try {
            Duration parsed = DurationStyle.detectAndParse(ttl.trim());
            if (parsed.isNegative()) {
                throw new BadRequestException("ttl must not be negative, got '" + ttl + "'");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("ttl must be a duration such as PT30S or 30s, not '" + ttl + "'");
        }
    }
}
