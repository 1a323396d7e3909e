package dev.replyclock.web.auth;

import dev.replyclock.config.AccessConfig.Role;

import java.util.List;

/** Who is asking: a logged-in user, a token, or everyone when there is no {@code auth} section. */
public record Principal(String name, Role role, List<String> teams) {

    public static final Principal OPEN = new Principal("anyone", Role.ADMIN, List.of());

    /** May see this team's reps, leads and responses. */
    public boolean audits(String team) {
        return role == Role.ADMIN || (role == Role.MANAGER && teams.contains(team));
    }

    /** May see reps and leads of some team at all. */
    public boolean auditsAny() {
        return role == Role.ADMIN || (role == Role.MANAGER && !teams.isEmpty());
    }
}
