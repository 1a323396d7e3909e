package dev.replyclock.config;

import java.time.Duration;

/**
 * An SLA policy (SPEC section 9). {@code firstResponse} and {@code warnBefore} are business time.
 *
 * @param attempts              null when the policy has no attempts part
 * @param leadsPerRepPerMonth   null when not set
 */
public record SlaPolicy(String name, Duration firstResponse, Duration warnBefore, AttemptsPolicy attempts,
                        Integer leadsPerRepPerMonth) {

    /** {@code within} is calendar time. */
    public record AttemptsPolicy(int count, Duration within, boolean untilReply) {

        /** Reads {@code attempts: {count, within, until_reply}}; count and within are required. */
        static AttemptsPolicy from(YamlNode node) {
            YamlMap map = node.asMap();
            Integer count = atLeastOne(map, "count", true);
            Duration within = map.requiredDuration("within");
            boolean untilReply = map.bool("until_reply", false);
            map.finish();
            return new AttemptsPolicy(count == null ? 0 : count, within, untilReply);
        }
    }

    /** Reads {@code sla_policies.NAME}. */
    static SlaPolicy from(String name, YamlNode node) {
        YamlMap map = node.asMap();
        Duration firstResponse = map.requiredDuration("first_response");
        Duration warnBefore = map.duration("warn_before", Duration.ZERO);
        YamlNode attemptsNode = map.get("attempts");
        AttemptsPolicy attempts = attemptsNode == null ? null : AttemptsPolicy.from(attemptsNode);
        Integer leads = atLeastOne(map, "leads_per_rep_per_month", false);
        map.finish();
        return new SlaPolicy(name, firstResponse, warnBefore, attempts, leads);
    }

    private static Integer atLeastOne(YamlMap map, String key, boolean required) {
        YamlNode n = required ? map.required(key) : map.get(key);
        Integer value = n == null ? null : n.asInt();
        if (value != null && value < 1) {
            n.error("must be at least 1");
            return null;
        }
        return value;
    }
}
