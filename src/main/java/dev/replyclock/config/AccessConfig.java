package dev.replyclock.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may read the audit pages and API: {@code auth: {users: [...], tokens: [...]}} and {@code rep_names}.
 * Without an {@code auth} section ({@link #enabled()} false) everything is open.
 *
 * @param pseudonymousReps {@code rep_names: pseudonymous}: viewers see reps as stable pseudonyms
 */
public record AccessConfig(boolean enabled, List<User> users, List<Token> tokens, boolean pseudonymousReps) {

    public static final AccessConfig OPEN = new AccessConfig(false, List.of(), List.of(), false);

    /** viewer: team aggregates and wall; manager: their teams' reps and leads; admin: everything. */
    public enum Role {
        VIEWER, MANAGER, ADMIN;

        static Role parse(YamlNode node) {
            String value = node.asString();
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(value)) {
                    return r;
                }
            }
            node.error("expected viewer, manager or admin, got '" + value + "'");
            return null;
        }
    }

    /** A person who logs in; {@code passwordHash} is a bcrypt hash. */
    public record User(String name, String passwordHash, Role role, List<String> teams) {
    }

    /** An API token for scripts, stored as the SHA-256 (hex, lower case) of the token. */
    public record Token(String name, String sha256, Role role, List<String> teams) {
    }

    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    static AccessConfig from(YamlNode authNode, YamlNode repNamesNode, Set<String> teamIds) {
        boolean pseudonymous = false;
        if (repNamesNode != null) {
            String value = repNamesNode.asString();
            if ("pseudonymous".equals(value)) {
                pseudonymous = true;
            } else if (value != null && !"real".equals(value)) {
                repNamesNode.error("expected real or pseudonymous, got '" + value + "'");
            }
        }
        if (authNode == null) {
            return new AccessConfig(false, List.of(), List.of(), pseudonymous);
        }
        YamlMap map = authNode.asMap();
        Map<String, String> names = new HashMap<>();
        List<User> users = new ArrayList<>();
        YamlNode usersNode = map.get("users");
        if (usersNode != null) {
            for (YamlNode item : usersNode.asList()) {
                YamlMap u = item.asMap();
                String name = uniqueName(u, names);
                YamlNode hashNode = u.required("password_hash");
                String hash = hashNode == null ? null : hashNode.asString();
                if (hash != null && !BCRYPT.matcher(hash).matches()) {
                    hashNode.error("expected a bcrypt hash ($2b$12$ followed by 53 characters)");
                }
                Role role = role(u);
                List<String> teams = teams(u, teamIds);
                u.finish();
                users.add(new User(name, hash, role, teams));
            }
        }
        List<Token> tokens = new ArrayList<>();
        YamlNode tokensNode = map.get("tokens");
        if (tokensNode != null) {
            for (YamlNode item : tokensNode.asList()) {
                YamlMap t = item.asMap();
                String name = uniqueName(t, names);
                YamlNode shaNode = t.required("sha256");
                String sha = shaNode == null ? null : shaNode.asString();
                if (sha != null && !SHA256.matcher(sha).matches()) {
                    shaNode.error("expected the SHA-256 of the token as 64 hex digits");
                    sha = null;
                }
                Role role = role(t);
                List<String> teams = teams(t, teamIds);
                t.finish();
                tokens.add(new Token(name, sha == null ? null : sha.toLowerCase(java.util.Locale.ROOT), role, teams));
            }
        }
        map.finish();
        return new AccessConfig(true, List.copyOf(users), List.copyOf(tokens), pseudonymous);
    }

    private static String uniqueName(YamlMap map, Map<String, String> seen) {
        YamlNode node = map.required("name");
        String name = node == null ? null : node.asString();
        if (name != null) {
            String first = seen.putIfAbsent(name, node.path());
            if (first != null) {
                node.error("duplicate name '" + name + "' (first at " + first + ")");
            }
        }
        return name;
    }

    private static Role role(YamlMap map) {
        YamlNode node = map.required("role");
        return node == null ? null : Role.parse(node);
    }

    private static List<String> teams(YamlMap map, Set<String> teamIds) {
        YamlNode node = map.get("teams");
        if (node == null) {
            return List.of();
        }
        List<String> teams = node.asStrings(false);
        for (String team : teams) {
            if (!teamIds.contains(team)) {
                node.error("unknown team '" + team + "'");
            }
        }
        return List.copyOf(teams);
    }
}
