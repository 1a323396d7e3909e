package dev.replyclock;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small configuration source tests start from: mailbox {@code sales} (sales@acme.example) of team sales (rep
 * alice), Berlin office hours, a 4 h first-response SLA, attribution header {@code X-Replyclock-Rep}.
 */
public final class SalesConfig {

    private SalesConfig() {
    }

    /** Writes {@code config.yaml} into {@code dir} with {@code source} (a YAML flow mapping) and loads it. */
    public static Config write(Path dir, String source) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                internal_domains: [acme.example]
                attribution_header: X-Replyclock-Rep
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  sales: {first_response: 4h, warn_before: 30m, attempts: {count: 5, within: 14d, until_reply: true}}
                teams:
                  sales: {members: [{id: alice, addresses: [alice@acme.example]}]}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: berlin,
                     source: SOURCE}
                """.replace("SOURCE", source));
        return ConfigLoader.load(file);
    }
}
