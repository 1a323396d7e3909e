package dev.replyclock.config;

/** A monitored mailbox; {@code team}, {@code sla} and {@code calendar} name entries that exist (validated). */
public record MailboxConfig(String id, String address, String team, String sla, String calendar, boolean group,
                            SourceConfig source) {
}
