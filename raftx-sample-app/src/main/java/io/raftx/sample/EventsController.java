package io.raftx.sample;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventsController {

    private final RecentEvents events;

    EventsController(RecentEvents events) {
        this.events = events;
    }

    /** The last changes this node's @ClusterWatch("**") method received, oldest first. */
    @GetMapping("/events")
    List<RecentEvents.Event> events() {
        return events.snapshot();
    }
}
