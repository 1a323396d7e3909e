package dev.replyclock.store;

import java.time.Instant;

/** An enrolled wall device (an office TV): its name, when it was enrolled and when it last showed the wall. */
public record WallDevice(String name, Instant createdAt, Instant lastSeenAt) {
}
