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
    }
}
