package dev.replyclock.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration (SPEC section 11). Maps keep the file's order; lists default to empty.
 * Addresses and domains are lower-cased on loading.
 */
public record Config(
        List<String> internalDomains,
        List<String> formSenders,
        List<String> automatedSenders,
        String attributionHeader,
        Map<String, CalendarConfig> calendars,
        Map<String, SlaPolicy> slaPolicies,
        Map<String, TeamConfig> teams,
        List<MailboxConfig> mailboxes,
        StoreConfig store,
        HttpConfig http,
        Duration pollInterval) {

    public static final String DEFAULT_ATTRIBUTION_HEADER = "X-Replyclock-Rep";
}
