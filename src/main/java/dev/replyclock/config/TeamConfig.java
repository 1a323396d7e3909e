package dev.replyclock.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A team and its members, in configuration order. */
public record TeamConfig(String id, List<Member> members) {

    /** A rep; addresses are lower-cased. */
    public record Member(String id, String name, List<String> addresses) {

        /**
         * Reads one {@code members[i]}: {@code id} and {@code addresses} required, {@code name} defaults to the id.
         *
         * @param seenIds member ids of the whole config so far, mapped to the key path where each was defined
         */
        static Member from(YamlNode node, Map<String, String> seenIds) {
            YamlMap map = node.asMap();
            YamlNode idNode = map.required("id");
            String id = idNode == null ? null : idNode.asString();
            if (id != null) {
                String first = seenIds.putIfAbsent(id, idNode.path());
                if (first != null) {
                    idNode.error("duplicate member id '" + id + "' (first at " + first + ")");
                }
            }
            String name = map.string("name", id);
            YamlNode addressesNode = map.required("addresses");
            List<String> addresses = addressesNode == null ? List.of() : List.copyOf(addressesNode.asStrings(true));
            map.finish();
            return new Member(id, name, addresses);
        }
    }

    /** Reads {@code teams.NAME}: {@code members} (default empty). */
    static TeamConfig from(String id, YamlNode node, Map<String, String> seenMemberIds) {
        YamlMap map = node.asMap();
        List<Member> members = new ArrayList<>();
        YamlNode membersNode = map.get("members");
        if (membersNode != null) {
            for (YamlNode item : membersNode.asList()) {
                members.add(Member.from(item, seenMemberIds));
            }
        }
        map.finish();
        return new TeamConfig(id, List.copyOf(members));
    }
}
