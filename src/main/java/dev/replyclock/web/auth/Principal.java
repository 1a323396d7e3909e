package dev.replyclock.web.auth;

import dev.replyclock.config.AccessConfig.Role;

import java.util.List;

/**
 * Who is asking: a logged-in user, a token, a wall device, or everyone when there is no {@code auth} section.
 *
 * @param wallOnly a wall device (an office TV): a viewer that may show the wall and nothing else
 */
public record Principal(String name, Role role, List<String> teams, boolean wallOnly) {

    public static final Principal OPEN = new Principal("anyone", Role.ADMIN, List.of());

    public Principal(String name, Role role, List<String> teams) {
        this(name, role, teams, false);
    }

    /** The enrolled wall device of this name. */
    static Principal wallDevice(String deviceName) {
        return new Principal("wall:" + deviceName, Role.VIEWER, List.of(), true);
    }

    /** May see this team's reps, leads and responses. */
    public boolean audits(String team) {
        return role == Role.ADMIN || (role == Role.MANAGER && teams.contains(team));
    }

    /** May see reps and leads of some team at all. */
    public boolean auditsAny() {
        return role == Role.ADMIN || (role == Role.MANAGER && !teams.isEmpty());
    }
}
