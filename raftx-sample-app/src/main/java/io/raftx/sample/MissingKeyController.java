package io.raftx.sample;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** Key endpoints called without a key ({@code PUT /kv/}): a 400 that says so, rather than a 404 for a resource. */
@RestController
class MissingKeyController {

    @PutMapping({"/kv", "/kv/", "/volatile", "/volatile/"})
    void put() {
        throw missing();
    }

    @DeleteMapping({"/kv", "/kv/", "/volatile", "/volatile/"})
    void delete() {
        throw missing();
    }

    @PostMapping({"/kv/cas", "/kv//cas"})
    void compareAndSet() {
        throw missing();
    }

    @GetMapping({"/volatile", "/volatile/"})
    void get() {
        throw missing();
    }

    private static BadRequestException missing() {
        return new BadRequestException("the key is missing: use /kv/{key} or /volatile/{key} with a non-empty key"
                + " (GET /kv?prefix=... lists keys)");
    }
}
