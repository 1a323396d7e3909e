package dev.replyclock.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A monitored mailbox; {@code team}, {@code sla} and {@code calendar} name entries that exist (validated). */
public record MailboxConfig(String id, String address, String team, String sla, String calendar, boolean group,
                            SourceConfig source) {

    /** The names a mailbox may refer to: every key under {@code calendars}, {@code teams}, {@code sla_policies}. */
    record Names(Set<String> calendars, Set<String> teams, Set<String> slaPolicies) {
    }

    /**
     * Reads one {@code mailboxes[i]}; every field but {@code group} is required.
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
        String team = reference(map, "team", names.teams(), "team");
        String sla = reference(map, "sla", names.slaPolicies(), "SLA policy");
        String calendar = reference(map, "calendar", names.calendars(), "calendar");
        boolean group = map.bool("group", false);
        YamlNode sourceNode = map.required("source");
        SourceConfig source = sourceNode == null ? null : SourceConfig.from(sourceNode);
        map.finish();
        return new MailboxConfig(id, address == null ? null : address.toLowerCase(Locale.ROOT), team, sla, calendar,
                group, source);
    }

    private static String reference(YamlMap map, String key, Set<String> declared, String what) {
        YamlNode n = map.required(key);
        String name = n == null ? null : n.asString();
        if (name != null && !declared.contains(name)) {
            n.error("no " + what + " named '" + name + "'");
        }
        return name;
    }
}
