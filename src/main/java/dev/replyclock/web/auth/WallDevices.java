package dev.replyclock.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The wall credential: an admin makes a one-time link for a named device; opening it once gives that browser a
 * long-lived device token (a cookie) that lets it show the wall and nothing else, until the device is revoked. Links
 * and tokens are kept in the {@link CredentialStore} only as digests.
 */
public final class WallDevices {

    /** A one-time link is good for this long. */
    public static final Duration LINK_VALID = Duration.ofHours(24);
    /** The path a link points at; {@code ?token=} follows. */
    public static final String ENROLL_PATH = "/wall/enroll";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A device's last-seen time is written at most this often. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(5);

    /** A new one-time link: its secret token and when it stops working. */
    public record Link(String name, String token, Instant expires) {
        /** The URL to open on the TV, under the service's base URL (no trailing slash). */
        public String url(String base) {
            return base + ENROLL_PATH + "?token=" + token;
        }
    }

    /** An enrolled device: its name and the token its cookie carries. */
    public record Enrolled(String name, String token) {
    }

    private final CredentialStore store;
    private final Clock clock;

    public WallDevices(CredentialStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Why this is not a device name, or empty when it is one. */
    public static Optional<String> invalidName(String name) {
        return name != null && NAME.matcher(name).matches() ? Optional.empty()
                : Optional.of("a device name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    /** A one-time link for the named device (enrolling again under a known name replaces that device's token). */
    public Link createLink(String name) {
        invalidName(name).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        String token = Access.randomToken();
        Instant now = clock.instant();
        store.putWallLink(Access.digest(token), name, now, now.plus(LINK_VALID));
        return new Link(name, token, now.plus(LINK_VALID));
    }

    /** Uses a link: once, before it expires. */
    Optional<Enrolled> enroll(String linkToken) {
        if (linkToken == null || linkToken.isEmpty()) {
            return Optional.empty();
        }
        String deviceToken = Access.randomToken();
        return store.useWallLink(Access.digest(linkToken), Access.digest(deviceToken), clock.instant())
                .map(name -> new Enrolled(name, deviceToken));
    }

    /** The device holding this token, unless it was revoked. */
    Optional<Principal> resolve(String deviceToken) {
        return store.wallDevice(Access.digest(deviceToken)).map(device -> {
            Instant now = clock.instant();
            if (!now.isBefore(device.lastSeen().plus(TOUCH_EVERY))) {
                store.touchWallDevice(device.name(), now);
            }
            return Principal.wallDevice(device.name());
        });
    }

    public List<CredentialStore.Device> list() {
        return store.wallDevices();
    }

    /** Ends the device's access and its unused links; false when there was none of that name. */
    public boolean revoke(String name) {
        return store.revokeWallDevice(name);
    }
}
