package dev.replyclock.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.replyclock.config.AccessConfig;
import dev.replyclock.web.ApiError;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Authentication of the audit pages and API: bearer tokens (compared by SHA-256) for scripts, a session
 * cookie (HttpOnly, SameSite=Strict, Secure behind TLS) after a bcrypt-checked login for people, and a CSRF
 * token per session for forms. Sessions are kept in the store ({@link Sessions}); failed logins are limited per
 * user and address ({@link LoginLimiter}). Without an {@code auth} section everyone is {@link Principal#OPEN}.
 */
public final class Access {

    public static final String SESSION_COOKIE = "rc_session";
    /** A wall device's token: long-lived, so that a TV never meets the login form. */
    public static final String WALL_COOKIE = "rc_wall";
    /** 400 days, the longest a browser keeps a cookie (Chromium caps Max-Age there). */
    private static final int WALL_COOKIE_SECONDS = 400 * 24 * 3600;
    static final String LOGIN_COOKIE = "rc_login";
    /** Checked for unknown users too, so that the answer takes as long as for known ones. */
    private static final String DUMMY_HASH = "$2a$12$ncsCtHU5OjgXrGinYvb9pOfhaAC5/eeyrJ.IqAU5IHgeZSSlMw6xO";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccessConfig config;
    private final boolean publicHttps;
    private final Clock clock;
    private final Sessions sessions;
    private final LoginLimiter limiter = new LoginLimiter();
    private final WallDevices wall;

    /** Ends, in {@code store}, the sessions of users whose password hash is no longer the configured one. */
    public Access(AccessConfig config, String publicUrl, CredentialStore store, Clock clock) {
        this.config = config;
        this.publicHttps = publicUrl != null && publicUrl.regionMatches(true, 0, "https:", 0, 6);
        this.clock = clock;
        this.sessions = new Sessions(store, config, clock);
        this.wall = new WallDevices(store, clock);
        if (config.enabled()) {
            sessions.endStale();
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    public boolean pseudonymousReps() {
        return config.pseudonymousReps();
    }

    public WallDevices wallDevices() {
        return wall;
    }

    /** The principal of this request, if it brings a valid token, session or wall device cookie. */
    public Optional<Principal> resolve(Context ctx) {
        if (!config.enabled()) {
            return Optional.of(Principal.OPEN);
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] digest = sha256(authorization.substring(7).trim());
            for (AccessConfig.Token token : config.tokens()) {
                if (MessageDigest.isEqual(digest, HexFormat.of().parseHex(token.sha256()))) {
                    return Optional.of(new Principal(token.name(), token.role(), token.teams()));
                }
            }
            return Optional.empty();
        }
        Optional<Principal> person = session(ctx).map(Sessions.Active::principal);
        if (person.isPresent()) {
            return person;
        }
        String device = ctx.cookie(WALL_COOKIE);
        return device == null || device.isEmpty() ? Optional.empty() : wall.resolve(device);
    }

    /**
     * {@code POST /wall/enroll}: uses the one-time link's token (form field {@code token}) and gives this browser the
     * device cookie; the device name, or empty when the link is unknown, used or expired.
     */
    public Optional<String> enrollWallDevice(Context ctx) {
        Optional<WallDevices.Enrolled> enrolled = wall.enroll(ctx.formParam("token"));
        enrolled.ifPresent(e -> setCookie(ctx, WALL_COOKIE, e.token(), "/", WALL_COOKIE_SECONDS));
        return enrolled.map(WallDevices.Enrolled::name);
    }

    private Optional<Sessions.Active> session(Context ctx) {
        String id = ctx.cookie(SESSION_COOKIE);
        return id == null || id.isEmpty() || !config.enabled() ? Optional.empty() : sessions.find(id);
    }

    /** The CSRF token forms of this session carry ("" without auth, where forms need none). */
    public String csrfToken(Context ctx) {
        return session(ctx).map(Sessions.Active::csrf).orElse("");
    }

    /**
     * The login form's token, also set as a cookie scoped to /login (double submit); an existing one is kept,
     * so that a second form (another tab, a favicon request sent to the login page) does not void the first.
     */
    public String loginFormToken(Context ctx) {
        String existing = ctx.cookie(LOGIN_COOKIE);
        String token = existing != null && existing.matches("[A-Za-z0-9_-]{43}") ? existing : randomToken();
        setCookie(ctx, LOGIN_COOKIE, token, "/login", 600);
        return token;
    }

    /**
     * {@code POST /login}: checks the form's CSRF token and the password; on success starts a session and
     * gives the page to go to, else empty.
     *
     * @throws LoginLimited when this user or address failed too often lately (the password is then not checked)
     */
    public Optional<String> login(Context ctx) {
        String formToken = ctx.formParam("csrf");
        String cookieToken = ctx.cookie(LOGIN_COOKIE);
        if (formToken == null || cookieToken == null || !constantEquals(formToken, cookieToken)) {
            throw ApiError.forbidden("the login form expired or came from elsewhere; reload it");
        }
        String name = ctx.formParam("name");
        String password = ctx.formParam("password");
        if (name == null || password == null) {
            return Optional.empty();
        }
        String address = ctx.ip();
        long wait = limiter.retryAfterSeconds(name, address, clock.instant());
        if (wait > 0) {
            throw new LoginLimited(wait);
        }
        AccessConfig.User user = config.users().stream().filter(u -> u.name().equals(name)).findFirst().orElse(null);
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), user == null ? DUMMY_HASH : user.passwordHash()).verified;
        if (user == null || !ok) {
            limiter.failed(name, address, clock.instant());
            return Optional.empty();
        }
        limiter.succeeded(name);
        String id = randomToken();
        sessions.start(user, id, randomToken());
        setCookie(ctx, SESSION_COOKIE, id, "/", -1);
        setCookie(ctx, LOGIN_COOKIE, "", "/login", 0);
        String next = ctx.formParam("next");
        return Optional.of(next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/");
    }

    /**
     * A state-changing request of a logged-in person must carry the session's CSRF token, as form field {@code csrf}
     * or header {@code X-CSRF-Token}; bearer tokens (scripts) and an open instance (no {@code auth}) need none.
     */
    public void requireCsrf(Context ctx) {
        if (!config.enabled() || ctx.header("Authorization") != null) {
            return;
        }
        Optional<Sessions.Active> s = session(ctx);
        String token = ctx.header("X-CSRF-Token");
        String type = ctx.contentType();
        if (token == null && type != null && (type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("multipart/form-data"))) {
            token = ctx.formParam("csrf");
        }
        if (s.isEmpty() || token == null || !constantEquals(token, s.get().csrf())) {
            throw ApiError.forbidden("missing or wrong CSRF token: reload the page and try again");
        }
    }

    /** {@code POST /logout}: ends the session when the form carries its CSRF token. */
    public void logout(Context ctx) {
        Optional<Sessions.Active> s = session(ctx);
        String token = ctx.formParam("csrf");
        if (s.isEmpty() || token == null || !constantEquals(token, s.get().csrf())) {
            throw ApiError.forbidden("missing or wrong CSRF token");
        }
        sessions.end(ctx.cookie(SESSION_COOKIE));
        setCookie(ctx, SESSION_COOKIE, "", "/", 0);
    }

    private void setCookie(Context ctx, String name, String value, String path, int maxAge) {
        boolean secure = publicHttps || "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=").append(path)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAge >= 0) {
            c.append("; Max-Age=").append(maxAge);
        }
        if (secure) {
            c.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    /** 32 random bytes, base64url: a session id, a form token, a wall link or device token. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean constantEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of a secret in lower-case hex: what the store keeps instead of the secret. */
    public static String digest(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
