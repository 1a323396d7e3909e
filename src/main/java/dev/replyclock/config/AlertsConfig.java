package dev.replyclock.config;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code alerts:} (issue 6): the channels alerts go to, how far back transitions are still worth an alert, and
 * when the daily digest goes out. Absent: no channels.
 *
 * @param alertHorizon transitions older than this (when recorded) are stored but not sent
 */
public record AlertsConfig(List<Channel> channels, Duration alertHorizon, Digest digest) {

    public static final Duration DEFAULT_HORIZON = Duration.ofDays(1);
    public static final List<String> EVENTS = List.of("at_risk", "breached", "attempts_breached", "sync_failing",
            "digest");
    public static final List<String> DEFAULT_EVENTS = List.of("at_risk", "breached");
    public static final LocalTime DEFAULT_DIGEST_AT = LocalTime.of(8, 30);

    public static final AlertsConfig NONE = new AlertsConfig(List.of(), DEFAULT_HORIZON,
            new Digest(DEFAULT_DIGEST_AT, Duration.ofDays(1), 5));

    /** When quiet hours (outside the lead's calendar open hours) hold alerts until the next opening. */
    public enum QuietHours {
        /** Send at once, day and night. */
        OFF,
        /** Hold every alert. */
        HOLD,
        /** Hold every alert but {@code breached}. */
        HOLD_EXCEPT_BREACHED
    }

    /**
     * One channel. {@code teams} and {@code mailboxes} empty = every team / mailbox. By {@code type}, exactly one
     * of {@code slack} and {@code email} is set, or neither for {@code log}.
     */
    public record Channel(String name, String type, List<String> teams, List<String> mailboxes, List<String> events,
                          QuietHours quietHours, Slack slack, Email email) {

        public boolean wants(String event) {
            return events.contains(event);
        }

        /** Whether an alert about a lead of that mailbox and team goes to this channel. */
        public boolean covers(String mailboxId, String teamId) {
            return (teams.isEmpty() || teams.contains(teamId)) && (mailboxes.isEmpty() || mailboxes.contains(mailboxId));
        }

        /** Never the URL itself: it is a secret. */
        @Override
        public String toString() {
            return "Channel[" + name + ", " + type + "]";
        }
    }

    /** {@code type: slack}: an incoming webhook URL (a secret: never logged). */
    public record Slack(String webhookUrl) {
        @Override
        public String toString() {
            return "Slack[webhook_url=***]";
        }
    }

    /** {@code type: email}: recipients and the SMTP server. */
    public record Email(List<String> to, Smtp smtp) {
    }

    /** SMTP server; {@code username}/{@code password} null for no login. */
    public record Smtp(String host, int port, Tls tls, String username, String password, String from,
                       Duration timeout) {
        public enum Tls { STARTTLS, IMPLICIT, NONE }

        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + ", " + tls + ", user=" + username + ", password=***]";
        }
    }

    /** The daily digest per team, at {@code at} local time (the team's calendar) on business days. */
    public record Digest(LocalTime at, Duration window, int worstWaits) {
    }

    static AlertsConfig from(YamlNode node, Set<String> teams, Set<String> mailboxIds) {
        if (node == null) {
            return NONE;
        }
        YamlMap map = node.asMap();
        List<Channel> channels = new ArrayList<>();
        YamlNode channelsNode = map.get("channels");
        if (channelsNode != null) {
            Map<String, String> seen = new HashMap<>();
            for (YamlNode item : channelsNode.asList()) {
                Channel c = channel(item, teams, mailboxIds, seen);
                if (c != null) {
                    channels.add(c);
                }
            }
        }
        Duration horizon = map.durationInRange("alert_horizon", DEFAULT_HORIZON, "0s", "366d", false);
        Digest digest = digest(map.get("digest"));
        map.finish();
        return new AlertsConfig(List.copyOf(channels), horizon == null ? DEFAULT_HORIZON : horizon, digest);
    }

    private static Channel channel(YamlNode node, Set<String> teams, Set<String> mailboxIds, Map<String, String> seen) {
        YamlMap map = node.asMap();
        YamlNode nameNode = map.required("name");
        String name = nameNode == null ? null : nameNode.asString();
        if (name != null) {
            String first = seen.putIfAbsent(name, nameNode.path());
            if (first != null) {
                nameNode.error("duplicate channel name '" + name + "' (first at " + first + ")");
            }
        }
        YamlNode typeNode = map.required("type");
        String type = typeNode == null ? null : typeNode.asString();
        List<String> teamList = references(map, "teams", teams, "team");
        List<String> mailboxList = references(map, "mailboxes", mailboxIds, "mailbox");
        List<String> events = DEFAULT_EVENTS;
        YamlNode eventsNode = map.get("events");
        if (eventsNode != null) {
            events = List.copyOf(eventsNode.asStrings(false));
            List<YamlNode> items = eventsNode.isList() ? eventsNode.asList() : List.of();
            for (YamlNode item : items) {
                String e = item.isScalar() ? item.asString() : null;
                if (e != null && !EVENTS.contains(e)) {
                    item.error("unknown event '" + e + "' (use " + String.join(", ", EVENTS) + ")");
                }
            }
        }
        QuietHours quiet = quietHours(map.get("quiet_hours"));
        Slack slack = null;
        Email email = null;
        if ("slack".equals(type)) {
            YamlNode urlNode = map.required("webhook_url");
            String url = urlNode == null ? null : urlNode.asString();
            if (url != null && !HttpUrls.isHttpUrl(url)) {
                // Not quoted: a webhook URL is a secret.
                urlNode.error("expected an http or https URL");
            }
            slack = new Slack(url);
        } else if ("email".equals(type)) {
            YamlNode toNode = map.required("to");
            List<String> to = toNode == null ? List.of() : List.copyOf(toNode.asStrings(true));
            if (toNode != null && toNode.isList() && to.isEmpty()) {
                toNode.error("must not be empty");
            }
            YamlNode smtpNode = map.required("smtp");
            email = new Email(to, smtpNode == null ? null : smtp(smtpNode));
        } else if ("log".equals(type)) {
            // the log needs nothing more
        } else if (type != null) {
            typeNode.error("unknown channel type '" + type + "' (use slack, email or log)");
            return null;
        }
        map.finish();
        return new Channel(name, type, teamList, mailboxList, events, quiet, slack, email);
    }

    private static List<String> references(YamlMap map, String key, Set<String> declared, String what) {
        YamlNode n = map.get(key);
        if (n == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (YamlNode item : n.asList()) {
            String name = item.asString();
            if (name == null) {
                continue;
            }
            if (!declared.contains(name)) {
                item.error("no " + what + " named '" + name + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static QuietHours quietHours(YamlNode node) {
        if (node == null) {
            return QuietHours.OFF;
        }
        String text = node.asString();
        if (text == null) {
            return QuietHours.OFF;
        }
        return switch (text) {
            case "off" -> QuietHours.OFF;
            case "hold" -> QuietHours.HOLD;
            case "hold_except_breached" -> QuietHours.HOLD_EXCEPT_BREACHED;
            default -> {
                node.error("unknown quiet_hours '" + text + "' (use off, hold or hold_except_breached)");
                yield QuietHours.OFF;
            }
        };
    }

    private static Smtp smtp(YamlNode node) {
        YamlMap map = node.asMap();
        String host = map.requiredString("host");
        Smtp.Tls tls = Smtp.Tls.STARTTLS;
        YamlNode tlsNode = map.get("tls");
        String tlsText = tlsNode == null ? null : tlsNode.asString();
        if (tlsText != null) {
            switch (tlsText.toLowerCase(Locale.ROOT)) {
                case "starttls" -> tls = Smtp.Tls.STARTTLS;
                case "implicit" -> tls = Smtp.Tls.IMPLICIT;
                case "none" -> tls = Smtp.Tls.NONE;
                default -> tlsNode.error("unknown tls mode '" + tlsText + "' (use starttls, implicit or none)");
            }
        }
        Integer port = map.integerInRange("port", tls == Smtp.Tls.IMPLICIT ? 465 : 587, 1, 65535);
        String username = map.string("username", null);
        String password = map.string("password", null);
        if ((username == null) != (password == null)) {
            node.error("username and password go together");
        }
        String from = map.requiredString("from");
        Duration timeout = map.durationInRange("timeout", Duration.ofSeconds(20), "1s", "10m", false);
        map.finish();
        return new Smtp(host, port == null ? 0 : port, tls, username, password,
                from == null ? null : from.toLowerCase(Locale.ROOT), timeout == null ? Duration.ofSeconds(20) : timeout);
    }

    private static Digest digest(YamlNode node) {
        if (node == null) {
            return NONE.digest();
        }
        YamlMap map = node.asMap();
        LocalTime at = DEFAULT_DIGEST_AT;
        YamlNode atNode = map.get("at");
        String atText = atNode == null ? null : atNode.asString();
        if (atText != null) {
            try {
                at = LocalTime.parse(atText, DateTimeFormatter.ofPattern("HH:mm"));
            } catch (DateTimeParseException e) {
                atNode.error("expected a local time HH:MM, got '" + atText + "'");
            }
        }
        Duration window = map.durationInRange("window", Duration.ofDays(1), "1h", "366d", false);
        Integer worst = map.integerInRange("worst_waits", 5, 0, 100);
        map.finish();
        return new Digest(at, window == null ? Duration.ofDays(1) : window, worst == null ? 5 : worst);
    }
}
