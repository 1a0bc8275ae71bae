package io.raftx.sample;

import io.raftx.spring.core.RaftxLock;
import io.raftx.spring.core.RaftxLockOperations;
import io.raftx.spring.core.StringRaftxTemplate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Distributed locks over HTTP. {@code POST /locks/{name}} acquires a lock for this instance (its node renews the
 * lease until it is released or this instance stops), {@code DELETE} releases it (only on the instance that holds
 * it), {@code GET} tells who holds it. 409 when another instance holds it or this one does not, 400 for a bad
 * name or lease.
 */
@RestController
@RequestMapping("/locks")
class LockController {

    private final RaftxLockOperations locks;

    LockController(StringRaftxTemplate template) {
        this.locks = template.opsForLocks();
    }

    /** {@code lease} and {@code wait} as ISO-8601 ({@code PT10S}) or simple ({@code 10s}). */
    @PostMapping("/{name}")
    Map<String, Object> acquire(@PathVariable String name, @RequestParam(defaultValue = "30s") String lease,
                                @RequestParam(defaultValue = "0s") String wait) {
        return describe(locks.acquire(name, duration("lease", lease), duration("wait", wait)));
    }

    @GetMapping("/{name}")
    Map<String, Object> holder(@PathVariable String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("holder", locks.holder(name).orElse(null));
        locks.held().stream().filter(l -> l.name().equals(name)).findFirst()
                .ifPresent(l -> body.putAll(describe(l)));
        return body;
    }

    @DeleteMapping("/{name}")
    Map<String, Object> release(@PathVariable String name) {
        RaftxLock lock = locks.held().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("this instance does not hold lock '" + name
                        + "'; release it on the instance that acquired it"));
        lock.release();
        return Map.of("name", name, "released", true, "fencingToken", lock.fencingToken());
    }

    /** Releasing a lock this instance does not hold. */
    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Object> notHeld(IllegalStateException e) {
        return ApiExceptionHandler.error(HttpStatus.CONFLICT, e.getMessage());
    }

    /** A bad lock name or lease. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> badInput(IllegalArgumentException e) {
        return ApiExceptionHandler.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static Map<String, Object> describe(RaftxLock lock) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", lock.name());
        body.put("holder", lock.owner());
        body.put("fencingToken", lock.fencingToken());
        body.put("remainingMillis", lock.remaining().toMillis());
        return body;
    }

    private static Duration duration(String what, String text) {
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(what + " must be a duration such as PT10S or 10s, not '" + text + "'");
        }
    }
}
