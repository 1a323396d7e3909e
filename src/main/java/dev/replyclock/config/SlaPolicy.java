package dev.replyclock.config;

import java.time.Duration;

/**
 * An SLA policy (SPEC section 9). {@code firstResponse} and {@code warnBefore} are business time.
 *
 * @param attempts              null when the policy has no attempts part
 * @param leadsPerRepPerMonth   null when not set
 * @param openFor               calendar time a lead or wait stays open without an answer (SPEC section 14); then expired
 * @param complianceTargetPercent the share of decided leads (met / (met + breached)) the team aims to answer within
 *                              {@code first_response}, in percent; shown against compliance figures, never changes them
 */
public record SlaPolicy(String name, Duration firstResponse, Duration warnBefore, AttemptsPolicy attempts,
                        Integer leadsPerRepPerMonth, Duration openFor, int complianceTargetPercent) {

    public static final Duration DEFAULT_OPEN_FOR = Duration.ofDays(30);
    public static final int DEFAULT_COMPLIANCE_TARGET_PERCENT = 90;

    /** With the default open horizon of 30 days. */
    public SlaPolicy(String name, Duration firstResponse, Duration warnBefore, AttemptsPolicy attempts,
                     Integer leadsPerRepPerMonth) {
        this(name, firstResponse, warnBefore, attempts, leadsPerRepPerMonth, DEFAULT_OPEN_FOR);
    }

    /** With the default compliance target of 90 %. */
    public SlaPolicy(String name, Duration firstResponse, Duration warnBefore, AttemptsPolicy attempts,
                     Integer leadsPerRepPerMonth, Duration openFor) {
        this(name, firstResponse, warnBefore, attempts, leadsPerRepPerMonth, openFor, DEFAULT_COMPLIANCE_TARGET_PERCENT);
    }

    /** Far beyond any real policy; the bounds keep hostile values from turning into endless loops downstream. */
    static final int MAX_ATTEMPTS = 1_000;
    static final int MAX_LEADS_PER_REP_PER_MONTH = 1_000_000;

    /** {@code within} is calendar time. */
    public record AttemptsPolicy(int count, Duration within, boolean untilReply) {

        /** Reads {@code attempts: {count, within, until_reply}}; count and within are required. */
        static AttemptsPolicy from(YamlNode node) {
            YamlMap map = node.asMap();
            Integer count = inRange(map, "count", true, MAX_ATTEMPTS);
            Duration within = map.durationInRange("within", null, "1s", "366d", true);
            boolean untilReply = map.bool("until_reply", false);
            map.finish();
            return new AttemptsPolicy(count == null ? 0 : count, within, untilReply);
        }
    }

    /** Reads {@code sla_policies.NAME}. */
    static SlaPolicy from(String name, YamlNode node) {
        YamlMap map = node.asMap();
        Duration firstResponse = map.durationInRange("first_response", null, "0s", "365d", true);
        Duration warnBefore = map.durationInRange("warn_before", Duration.ZERO, "0s", "365d", false);
        if (firstResponse != null && warnBefore != null && !warnBefore.isZero() && warnBefore.compareTo(firstResponse) >= 0) {
            map.get("warn_before").error("must be shorter than first_response");
            warnBefore = null;
        }
        YamlNode attemptsNode = map.get("attempts");
        AttemptsPolicy attempts = attemptsNode == null ? null : AttemptsPolicy.from(attemptsNode);
        Integer leads = inRange(map, "leads_per_rep_per_month", false, MAX_LEADS_PER_REP_PER_MONTH);
        Duration openFor = map.durationInRange("open_for", DEFAULT_OPEN_FOR, "1s", "3650d", false);
        Integer target = map.integerInRange("compliance_target_percent", DEFAULT_COMPLIANCE_TARGET_PERCENT, 1, 100);
        map.finish();
        return new SlaPolicy(name, firstResponse, warnBefore, attempts, leads, openFor,
                target == null ? DEFAULT_COMPLIANCE_TARGET_PERCENT : target);
    }

    private static Integer inRange(YamlMap map, String key, boolean required, int max) {
        if (required && map.required(key) == null) {
            return null;
        }
        return map.integerInRange(key, null, 1, max);
    }
}
