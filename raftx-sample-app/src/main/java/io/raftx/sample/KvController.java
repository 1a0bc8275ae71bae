package io.raftx.sample;

import io.raftx.spring.core.StringRaftxTemplate;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The strongly consistent keys, as text. Any node answers; writes are forwarded to the leader. */
@RestController
@RequestMapping("/kv")
class KvController {

    private final StringRaftxTemplate template;

    KvController(StringRaftxTemplate template) {
        this.template = template;
    }

    @PutMapping("/{key}")
    Map<String, Long> put(@PathVariable String key, @RequestBody(required = false) String value) {
        return Map.of("revision", template.set(key, value == null ? "" : value));
    }

    @GetMapping(value = "/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> get(@PathVariable String key,
                               @RequestParam(defaultValue = "linearizable") String consistency) {
        return template.get(key, Consistency.parse(consistency))
                .map(ResponseEntity::ok)
                .orElseThrow(() -> new KeyNotFoundException(key));
    }

    @DeleteMapping("/{key}")
    Map<String, Boolean> delete(@PathVariable String key) {
        return Map.of("deleted", template.delete(key));
    }

    /** Without {@code expected}: set only if absent. The body is read first, before any form parameter parsing. */
    @PostMapping("/{key}/cas")
    Map<String, Boolean> compareAndSet(@RequestBody(required = false) String value, @PathVariable String key,
                                       @RequestParam(required = false) String expected) {
        return Map.of("succeeded", template.compareAndSet(key, expected, value == null ? "" : value));
    }

    @GetMapping
    Map<String, String> scan(@RequestParam(defaultValue = "") String prefix) {
        return template.scan(prefix);
    }
}
