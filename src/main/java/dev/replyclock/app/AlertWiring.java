package dev.replyclock.app;

import dev.replyclock.alert.AlertChannel;
import dev.replyclock.alert.email.EmailChannel;
import dev.replyclock.alert.log.LogChannel;
import dev.replyclock.alert.slack.SlackChannel;
import dev.replyclock.config.AlertsConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the alert channel adapters of a configuration (the one place that knows the adapters). */
final class AlertWiring {

    static final Duration SLACK_TIMEOUT = Duration.ofSeconds(10);

    private AlertWiring() {
    }

    static Map<String, AlertChannel> channels(AlertsConfig alerts) {
        Map<String, AlertChannel> map = new LinkedHashMap<>();
        for (AlertsConfig.Channel c : alerts.channels()) {
            map.put(c.name(), channel(c));
        }
        return map;
    }

    static AlertChannel channel(AlertsConfig.Channel c) {
        return switch (c.type()) {
            case "slack" -> new SlackChannel(c.name(), c.slack().webhookUrl(), SLACK_TIMEOUT);
            case "email" -> new EmailChannel(c.name(), c.email().smtp(), c.email().to());
            case "log" -> new LogChannel(c.name());
            default -> throw new IllegalArgumentException("unknown channel type " + c.type());
        };
    }
}
