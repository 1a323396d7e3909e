package dev.replyclock.demo;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The demo company: Acme's two shared mailboxes ({@code sales@}, {@code marketing@} of {@code acme.example}), their
 * reps (fast and slow), and the Replyclock configuration that watches them on the embedded IMAP server.
 */
public final class DemoWorld {

    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    public static final String USER = "demo";
    public static final String PASSWORD = "demo";
    /** Bearer token of the demo (role admin), for scripts and the demo test. */
    public static final String TOKEN = "demo-token";
    public static final String IMAP_PASSWORD = "demo-imap";

    public static final List<MailSimulator.Rep> SALES = List.of(
            new MailSimulator.Rep("alice", "Alice Adler", "alice@acme.example", Duration.ofMinutes(8)),
            new MailSimulator.Rep("bob", "Bob Brandt", "bob@acme.example", Duration.ofMinutes(20)),
            new MailSimulator.Rep("carol", "Carol Castell", "carol@acme.example", Duration.ofMinutes(45)),
            new MailSimulator.Rep("dave", "Dave Dietz", "dave@acme.example", Duration.ofMinutes(90)));
    public static final List<MailSimulator.Rep> MARKETING = List.of(
            new MailSimulator.Rep("erik", "Erik Engel", "erik@acme.example", Duration.ofMinutes(40)),
            new MailSimulator.Rep("fatima", "Fatima Fuchs", "fatima@acme.example", Duration.ofHours(3)),
            new MailSimulator.Rep("greta", "Greta Gruber", "greta@acme.example", Duration.ofMinutes(25)));

    private DemoWorld() {
    }

    public static List<MailSimulator.Box> boxes() {
        return List.of(
                new MailSimulator.Box("sales@acme.example", "Acme Sales", SALES, List.of("Quote for 40 licences",
                        "Bulk pricing", "Demo request", "Anfrage Wartungsvertrag", "Replacement parts, urgent",
                        "Volume discount for 2 sites", "Trial extension", "Renewal offer", "Preisanfrage Ersatzteile"),
                        2.0, true),
                new MailSimulator.Box("marketing@acme.example", "Acme Marketing", MARKETING, List.of("Agency partnership",
                        "Sponsoring the trade fair", "Press inquiry", "Catalogue 2025", "Webinar registration problem",
                        "Co-marketing proposal", "Kooperationsanfrage"), 1.0, false));
    }

    /** A weekday about twelve days before {@code now}: the back-filled month's public holiday. */
    public static LocalDate holiday(Instant now) {
        LocalDate d = now.atZone(ZONE).toLocalDate().minusDays(12);
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            d = d.minusDays(1);
        }
        return d;
    }

    /**
     * The configuration, as YAML, so that the demo goes through the same loading and validation as a real one.
     * Sales answers round the clock (so the demo shows SLA states at any hour): first response within 1 h, at
     * risk 20 min before; marketing works office hours with 4 h.
     */
    public static String configYaml(int imapPort, int httpPort, Path store, LocalDate holiday, String passwordHash,
                                    String tokenSha256) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by `replyclock demo`: the embedded IMAP server on loopback, a short poll interval.\n");
        y.append("internal_domains: [acme.example]\n");
        y.append("form_senders: [noreply@forms.example]\n");
        y.append("calendars:\n");
        y.append("  berlin: {zone: Europe/Berlin, hours: {mon-fri: [\"09:00-17:00\"]}, holidays: [").append(holiday).append("]}\n");
        y.append("  berlin-24x7: {zone: Europe/Berlin, hours: 24x7, holidays: [").append(holiday).append("]}\n");
        y.append("sla_policies:\n");
        y.append("  sales: {first_response: 1h, warn_before: 20m, attempts: {count: 3, within: 14d, until_reply: true}, leads_per_rep_per_month: 120}\n");
        y.append("  marketing: {first_response: 4h, warn_before: 1h}\n");
        y.append("teams:\n");
        team(y, "sales", SALES);
        team(y, "marketing", MARKETING);
        y.append("mailboxes:\n");
        mailbox(y, "sales", "sales@acme.example", "berlin-24x7", imapPort);
        mailbox(y, "marketing", "marketing@acme.example", "berlin", imapPort);
        y.append("store: {path: \"").append(store.toString().replace("\\", "/")).append("\"}\n");
        y.append("http: {port: ").append(httpPort).append(", public_url: \"http://localhost:").append(httpPort).append("\"}\n");
        y.append("auth:\n");
        y.append("  users:\n");
        y.append("    - {name: ").append(USER).append(", password_hash: \"").append(passwordHash).append("\", role: admin}\n");
        y.append("  tokens:\n");
        y.append("    - {name: demo-script, sha256: ").append(tokenSha256).append(", role: admin}\n");
        y.append("poll_interval: 2s\n");
        y.append("alerts:\n");
        y.append("  channels:\n");
        y.append("    - {name: demo-log, type: log, events: [at_risk, breached, attempts_breached, sync_failing]}\n");
        return y.toString();
    }

    private static void team(StringBuilder y, String id, List<MailSimulator.Rep> reps) {
        y.append("  ").append(id).append(":\n    members:\n");
        for (MailSimulator.Rep r : reps) {
            y.append("      - {id: ").append(r.id()).append(", name: ").append(r.name()).append(", addresses: [")
                    .append(r.address()).append("]}\n");
        }
    }

    private static void mailbox(StringBuilder y, String id, String address, String calendar, int imapPort) {
        y.append("  - id: ").append(id).append("\n");
        y.append("    address: ").append(address).append("\n");
        y.append("    team: ").append(id).append("\n    sla: ").append(id).append("\n");
        y.append("    calendar: ").append(calendar).append("\n");
        y.append("    source: {type: imap, host: 127.0.0.1, port: ").append(imapPort).append(", tls: none, username: ")
                .append(address).append(", password: ").append(IMAP_PASSWORD).append(", folders: [INBOX, Sent]}\n");
    }
}
