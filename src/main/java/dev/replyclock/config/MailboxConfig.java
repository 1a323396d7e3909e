package dev.replyclock.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A monitored mailbox; {@code team}, {@code sla} and {@code calendar} name entries that exist (validated).
 *
 * @param repliesOnly a rep's own mailbox read only for the replies sent from it (SPEC section 14): its inbound mail
 *                    is skipped, it owns no lead or wait, and {@code team}, {@code sla}, {@code calendar} may be null
 */
public record MailboxConfig(String id, String address, String team, String sla, String calendar, boolean group,
                            SourceConfig source, boolean repliesOnly) {

    /** A mailbox that owns leads (not reply-only). */
    public MailboxConfig(String id, String address, String team, String sla, String calendar, boolean group,
                         SourceConfig source) {
        this(id, address, team, sla, calendar, group, source, false);
    }

    /** The same mailbox read from another source (tests run every scenario over IMAP, Graph and Gmail). */
    public MailboxConfig withSource(SourceConfig other) {
        return new MailboxConfig(id, address, team, sla, calendar, group, other, repliesOnly);
    }

    /** The names a mailbox may refer to: every key under {@code calendars}, {@code teams}, {@code sla_policies}. */
    record Names(Set<String> calendars, Set<String> teams, Set<String> slaPolicies) {
    }

    /**
     * Reads one {@code mailboxes[i]}; every field but {@code group} and {@code replies_only} is required, except
     * {@code team}, {@code sla} and {@code calendar} of a reply-only mailbox.
     *
     * @param seenIds mailbox ids so far, mapped to the key path where each was defined
     */
    static MailboxConfig from(YamlNode node, Names names, Map<String, String> seenIds) {
        YamlMap map = node.asMap();
        YamlNode idNode = map.required("id");
        String id = idNode == null ? null : idNode.asString();
        if (id != null) {
            String first = seenIds.putIfAbsent(id, idNode.path());
            if (first != null) {
                idNode.error("duplicate mailbox id '" + id + "' (first at " + first + ")");
            }
        }
        String address = map.requiredString("address");
        boolean repliesOnly = map.bool("replies_only", false);
        String team = reference(map, "team", names.teams(), "team", !repliesOnly);
        String sla = reference(map, "sla", names.slaPolicies(), "SLA policy", !repliesOnly);
        String calendar = reference(map, "calendar", names.calendars(), "calendar", !repliesOnly);
        boolean group = map.bool("group", false);
        YamlNode sourceNode = map.required("source");
        SourceConfig source = sourceNode == null ? null : SourceConfig.from(sourceNode);
        map.finish();
        return new MailboxConfig(id, address == null ? null : address.toLowerCase(Locale.ROOT), team, sla, calendar,
                group, source, repliesOnly);
    }

    private static String reference(YamlMap map, String key, Set<String> declared, String what, boolean required) {
        YamlNode n = required ? map.required(key) : map.get(key);
        String name = n == null ? null : n.asString();
        if (name != null && !declared.contains(name)) {
            n.error("no " + what + " named '" + name + "'");
        }
        return name;
    }
}
