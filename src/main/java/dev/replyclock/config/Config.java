package dev.replyclock.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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
        Duration pollInterval,
        AlertsConfig alerts,
        AccessConfig access,
        List<ExclusionRule> exclusions,
        Duration horizon) {

    /** With the default horizon for these SLA policies. */
    public Config(List<String> internalDomains, List<String> formSenders, List<String> automatedSenders,
                  String attributionHeader, Map<String, CalendarConfig> calendars, Map<String, SlaPolicy> slaPolicies,
                  Map<String, TeamConfig> teams, List<MailboxConfig> mailboxes, StoreConfig store, HttpConfig http,
                  Duration pollInterval, AlertsConfig alerts, AccessConfig access, List<ExclusionRule> exclusions) {
        this(internalDomains, formSenders, automatedSenders, attributionHeader, calendars, slaPolicies, teams, mailboxes,
                store, http, pollInterval, alerts, access, exclusions, defaultHorizon(slaPolicies));
    }

    /** Without exclusion rules. */
    public Config(List<String> internalDomains, List<String> formSenders, List<String> automatedSenders,
                  String attributionHeader, Map<String, CalendarConfig> calendars, Map<String, SlaPolicy> slaPolicies,
                  Map<String, TeamConfig> teams, List<MailboxConfig> mailboxes, StoreConfig store, HttpConfig http,
                  Duration pollInterval, AlertsConfig alerts, AccessConfig access) {
        this(internalDomains, formSenders, automatedSenders, attributionHeader, calendars, slaPolicies, teams,
                mailboxes, store, http, pollInterval, alerts, access, List.of());
    }

    /** The same configuration with its mailboxes read from other sources (tests run scenarios over IMAP, Graph). */
    public Config withMailboxes(List<MailboxConfig> other) {
        return new Config(internalDomains, formSenders, automatedSenders, attributionHeader, calendars, slaPolicies,
                teams, List.copyOf(other), store, http, pollInterval, alerts, access, exclusions, horizon);
    }

    /** The mailboxes that own leads and waits, in configuration order: all but the reply-only ones. */
    public List<MailboxConfig> leadMailboxes() {
        return mailboxes.stream().filter(m -> !m.repliesOnly()).toList();
    }

    /** Without alerts and without access control (callers that predate them). */
    public Config(List<String> internalDomains, List<String> formSenders, List<String> automatedSenders,
                  String attributionHeader, Map<String, CalendarConfig> calendars, Map<String, SlaPolicy> slaPolicies,
                  Map<String, TeamConfig> teams, List<MailboxConfig> mailboxes, StoreConfig store, HttpConfig http,
                  Duration pollInterval) {
        this(internalDomains, formSenders, automatedSenders, attributionHeader, calendars, slaPolicies, teams,
                mailboxes, store, http, pollInterval, AlertsConfig.NONE, AccessConfig.OPEN);
    }

    public static final String DEFAULT_ATTRIBUTION_HEADER = "X-Replyclock-Rep";
    public static final String OPEN_ACCESS_WARNING =
            "no auth section: every page and API is open to anyone who can reach the HTTP port";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    /** Far beyond a sales floor; past this, split mailboxes over several instances. */
    static final int MAX_MAILBOXES = 1_000;
    /** How far ahead a first-response deadline may fall (the SLA engine looks 20 years ahead at most). */
    static final long MAX_DEADLINE_DAYS = 3_650;

    /** How long a conversation stays in memory after its newest message unless {@code horizon:} says otherwise. */
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(400);
    /** The subject fallback looks this far back (SPEC section 4): a horizon must exceed it. */
    static final Duration SUBJECT_FALLBACK = Duration.ofDays(30);

    /** 400 days, or longer when an SLA policy's first_response, open_for or attempts within is longer. */
    static Duration defaultHorizon(Map<String, SlaPolicy> policies) {
        Duration longest = longestPolicyDuration(policies);
        return longest.compareTo(DEFAULT_HORIZON) < 0 ? DEFAULT_HORIZON : longest.plus(SUBJECT_FALLBACK);
    }

    /** The longest first_response, open_for and attempts within of the policies (at least the subject fallback's 30 days). */
    public static Duration longestPolicyDuration(Map<String, SlaPolicy> policies) {
        Duration longest = SUBJECT_FALLBACK;
        for (SlaPolicy p : policies.values()) {
            for (Duration d : new Duration[] {p.firstResponse(), p.openFor(), p.attempts() == null ? null : p.attempts().within()}) {
                if (d != null && d.compareTo(longest) > 0) {
                    longest = d;
                }
            }
        }
        return longest;
    }

    /**
     * {@code horizon:}: conversations whose newest message is older stay out of memory (final, read from the store). It
     * must be longer than every first_response, open_for and attempts within, and than the subject fallback's 30 days,
     * so that nothing outside it can still change by time or by a subject.
     */
    private static Duration horizon(YamlMap map, Map<String, SlaPolicy> policies) {
        YamlNode node = map.get("horizon");
        Duration horizon = map.durationInRange("horizon", null, "1d", "36500d", false);
        if (horizon == null) {
            return defaultHorizon(policies);
        }
        Duration longest = longestPolicyDuration(policies);
        if (horizon.compareTo(longest) <= 0) {
            node.error(Durations.format(horizon) + " must be longer than " + Durations.format(longest)
                    + " (the longest first_response, open_for or attempts within of the SLA policies, and the subject "
                    + "fallback's 30 days)");
        }
        return horizon;
    }

    /** Reads the document's top-level map; problems go to the node's context. */
    static Config from(YamlNode root) {
        YamlMap map = root.asMap();
        List<String> internalDomains = map.strings("internal_domains", true);
        List<String> formSenders = map.strings("form_senders", true);
        List<String> automatedSenders = map.strings("automated_senders", true);
        String attributionHeader = map.string("attribution_header", DEFAULT_ATTRIBUTION_HEADER);
        List<ExclusionRule> exclusions = new ArrayList<>();
        YamlNode excludeNode = map.get("exclude");
        if (excludeNode != null) {
            for (YamlNode rule : excludeNode.asList()) {
                ExclusionRule parsed = ExclusionRule.from(rule);
                if (parsed != null) {
                    exclusions.add(parsed);
                }
            }
        }

        Map<String, YamlNode> calendarNodes = map.namedEntries("calendars");
        Map<String, YamlNode> policyNodes = map.namedEntries("sla_policies");
        Map<String, YamlNode> teamNodes = map.namedEntries("teams");
        Map<String, CalendarConfig> calendars = named(calendarNodes, CalendarConfig::from);
        Map<String, SlaPolicy> slaPolicies = named(policyNodes, SlaPolicy::from);
        Map<String, String> memberIds = new HashMap<>();
        Map<String, TeamConfig> teams = named(teamNodes, (name, node) -> TeamConfig.from(name, node, memberIds));

        MailboxConfig.Names names = new MailboxConfig.Names(
                calendarNodes.keySet(), teamNodes.keySet(), policyNodes.keySet());
        List<MailboxConfig> mailboxes = new ArrayList<>();
        YamlNode mailboxesNode = map.get("mailboxes");
        if (mailboxesNode != null && mailboxesNode.asList().size() > MAX_MAILBOXES) {
            mailboxesNode.error(mailboxesNode.asList().size() + " mailboxes: one instance watches at most " + MAX_MAILBOXES
                    + " (split them over several instances, each with its own store)");
        } else if (mailboxesNode != null) {
            Map<String, String> mailboxIds = new HashMap<>();
            for (YamlNode item : mailboxesNode.asList()) {
                MailboxConfig mailbox = MailboxConfig.from(item, names, mailboxIds);
                mailboxes.add(mailbox);
                reportUnreachableDeadline(item, mailbox, calendars, slaPolicies);
            }
        }

        StoreConfig store = StoreConfig.from(map.get("store"), root.context().baseDir());
        HttpConfig http = HttpConfig.from(map.get("http"));
        Duration pollInterval = map.durationInRange("poll_interval", DEFAULT_POLL_INTERVAL, "1s", "1d", false);
        java.util.Set<String> mailboxIds = new java.util.HashSet<>();
        mailboxes.forEach(m -> mailboxIds.add(m.id()));
        AlertsConfig alerts = AlertsConfig.from(map.get("alerts"), teamNodes.keySet(), mailboxIds);
        AccessConfig access = AccessConfig.from(map.get("auth"), map.get("rep_names"), teamNodes.keySet());
        Duration horizon = horizon(map, slaPolicies);
        map.finish();
        return new Config(internalDomains, formSenders, automatedSenders, attributionHeader, calendars, slaPolicies,
                teams, List.copyOf(mailboxes), store, http, pollInterval, alerts, access, List.copyOf(exclusions), horizon);
    }

    /**
     * A first response that the mailbox's calendar only reaches after many years (a huge first_response, or hours
     * open a few minutes a week) would make every deadline computation walk that far; refused up front.
     */
    private static void reportUnreachableDeadline(YamlNode node, MailboxConfig mailbox, Map<String, CalendarConfig> calendars,
                                                  Map<String, SlaPolicy> slaPolicies) {
        CalendarConfig calendar = calendars.get(mailbox.calendar());
        SlaPolicy policy = slaPolicies.get(mailbox.sla());
        if (calendar == null || policy == null || policy.firstResponse() == null || calendar.weeklyOpenMinutes() == 0) {
            return; // reported where they are defined
        }
        long weeks = -Math.floorDiv(-policy.firstResponse().toMinutes(), calendar.weeklyOpenMinutes());
        long days = weeks * 7 + calendar.holidays().size();
        if (days > MAX_DEADLINE_DAYS) {
            node.error("first_response " + Durations.format(policy.firstResponse()) + " of SLA policy '" + mailbox.sla()
                    + "' takes about " + days / 365 + " years of calendar '" + mailbox.calendar() + "' ("
                    + Durations.format(Duration.ofMinutes(calendar.weeklyOpenMinutes())) + " open a week); at most " + MAX_DEADLINE_DAYS / 365 + " years are supported");
        }
    }

    private static <T> Map<String, T> named(Map<String, YamlNode> nodes, BiFunction<String, YamlNode, T> parse) {
        Map<String, T> out = new LinkedHashMap<>();
        nodes.forEach((name, node) -> out.put(name, parse.apply(name, node)));
        return Collections.unmodifiableMap(out);
    }
}
