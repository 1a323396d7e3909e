package dev.replyclock.app;

import dev.replyclock.alert.AlertChannel;
import dev.replyclock.alert.AlertEvent;
import dev.replyclock.alert.AlertMessage;
import dev.replyclock.alert.DeliveryException;
import dev.replyclock.config.AlertsConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code replyclock alert-test --config FILE --channel NAME}: sends one sample alert through a channel. */
@Command(name = "alert-test", mixinStandardHelpOptions = true,
        description = "Send a sample alert through one channel, to check it before relying on it.",
        footerHeading = "%nExample:%n", footer = "  replyclock alert-test --config config.yaml --channel sales-slack")
final class AlertTestCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Option(names = "--channel", required = true, paramLabel = "NAME", description = "a channel name of alerts.channels")
    String channelName;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        Config config = configOption.load();
        AlertsConfig.Channel channel = config.alerts().channels().stream()
                .filter(c -> c.name().equals(channelName)).findFirst().orElse(null);
        if (channel == null) {
            System.err.println("no channel named '" + channelName + "' (configured: "
                    + config.alerts().channels().stream().map(AlertsConfig.Channel::name)
                    .collect(Collectors.joining(", ")) + ")");
            return 2;
        }
        AlertChannel adapter = AlertWiring.channel(channel);
        try {
            adapter.send(sample(config, channel));
            System.out.println("channel " + channel.name() + " (" + channel.type() + "): sample alert sent");
            return 0;
        } catch (DeliveryException e) {
            System.err.println("channel " + channel.name() + " (" + channel.type() + "): not sent: " + e.getMessage()
                    + (e.retryable() ? " (temporary: retried when it is a real alert)" : ""));
            return 1;
        }
    }

    private AlertMessage sample(Config config, AlertsConfig.Channel channel) {
        MailboxConfig mailbox = config.leadMailboxes().stream()
                .filter(m -> channel.covers(m.id(), m.team())).findFirst()
                .orElse(config.leadMailboxes().isEmpty() ? null : config.leadMailboxes().get(0));
        String mailboxId = mailbox == null ? "sample-mailbox" : mailbox.id();
        String address = mailbox == null ? "sales@example.com" : mailbox.address();
        ZoneId zone = mailbox == null ? ZoneId.of("UTC") : config.calendars().get(mailbox.calendar()).zone();
        String base = config.http().publicUrl();
        return new AlertMessage(AlertEvent.AT_RISK, mailboxId, address, mailbox == null ? null : mailbox.team(),
                "someone@example.com", "Replyclock test alert: please ignore", Duration.ofMinutes(3 * 60 + 10),
                ZonedDateTime.now(clock).withZoneSameInstant(zone).plusMinutes(30), null,
                base == null ? null : base, "This is a sample sent by 'replyclock alert-test'.");
    }
}
