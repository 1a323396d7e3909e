package dev.replyclock.alert.log;

import dev.replyclock.alert.AlertChannel;
import dev.replyclock.alert.AlertMessage;
import dev.replyclock.alert.DigestMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type: log}: every alert is one INFO line of the logger {@code replyclock.alerts} (the demo's channel, and
 * a way to try routing and quiet hours without a Slack workspace). Never fails.
 */
public final class LogChannel implements AlertChannel {

    private static final Logger LOG = LoggerFactory.getLogger("replyclock.alerts");

    private final String name;

    public LogChannel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertMessage message) {
        LOG.info("[{}] {}{}{}", name, message.headline(),
                message.subject() == null || message.subject().isEmpty() ? "" : " — \"" + message.subject() + "\"",
                message.link() == null ? "" : " " + message.link());
    }

    @Override
    public void send(DigestMessage digest) {
        LOG.info("[{}] {}: {} open leads listed", name, digest.headline(), digest.worstWaits().size());
    }
}
