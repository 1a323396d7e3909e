package dev.replyclock.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a synthetic shared mailbox for benchmarks: {@code <out>/inbox} and {@code <out>/sent} maildirs
 * plus {@code <out>/config.yaml}. Conversations of one to four messages: a lead from one of many outside
 * parties, replies by reps (some sent from the shared mailbox with {@code X-Replyclock-Rep}), follow-ups, some
 * auto-replies and bounces (multipart/report from MAILER-DAEMON), two Received hops each. Deterministic for a given seed.
 *
 * <pre>java -cp target/replyclock.jar:target/test-classes dev.replyclock.bench.GenerateMaildir OUT MESSAGES [SEED]</pre>
 */
public final class GenerateMaildir {

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The sales team's reps (their addresses are NAME@acme.example). */
    public static final String[] REPS = {"alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi"};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long total = Long.parseLong(args[1]);
        Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 1);
        for (String box : new String[] {"inbox", "sent"}) {
            Files.createDirectories(out.resolve(box).resolve("cur"));
            Files.createDirectories(out.resolve(box).resolve("new"));
            Files.createDirectories(out.resolve(box).resolve("tmp"));
        }
        writeConfig(out);
        long written = 0;
        long conversation = 0;
        Instant time = Instant.parse("2024-01-01T00:00:00Z");
        while (written < total) {
            conversation++;
            time = time.plusSeconds(random.nextInt(120));
            String party = "buyer" + random.nextInt(50_000) + "@customer" + random.nextInt(5_000) + ".example";
            String rep = REPS[random.nextInt(REPS.length)] + "@acme.example";
            String subject = "Question about offer " + conversation;
            String leadId = "lead-" + conversation + "@customer.example";
            write(out, "inbox", leadId, null, time, party, "sales@acme.example", subject, random.nextInt(20) == 0);
            written++;
            if (random.nextInt(40) == 0 && written < total) { // the party's address bounces an acknowledgement
                writeBounce(out, "bounce-" + conversation + "@mx.acme.example", leadId, time.plusSeconds(5), party);
                written++;
            }
            String previous = leadId;
            int replies = random.nextInt(4);
            Instant t = time;
            for (int i = 0; i < replies && written < total; i++) {
                t = t.plusSeconds(600 + random.nextInt(20_000));
                boolean ours = i % 2 == 0;
                String id = (ours ? "reply-" : "follow-") + conversation + "-" + i + (ours ? "@acme.example" : "@customer.example");
                // a quarter of the answers leave from the shared mailbox itself, naming the rep in X-Replyclock-Rep
                boolean shared = ours && random.nextInt(4) == 0;
                write(out, ours ? "sent" : "inbox", id, previous, t,
                        ours ? (shared ? "sales@acme.example\nX-Replyclock-Rep: " + rep.substring(0, rep.indexOf('@')) : rep)
                                : party,
                        ours ? party : "sales@acme.example", "Re: " + subject, false);
                previous = id;
                written++;
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d messages in %d conversations to %s%n", written, conversation, out);
    }

    private static void write(Path out, String folder, String id, String inReplyTo, Instant time, String from, String to,
                              String subject, boolean autoReply) throws IOException {
        // "from" may carry a second header line (X-Replyclock-Rep) after the address
        String address = from.lines().findFirst().orElseThrow();
        String extra = from.substring(address.length());
        StringBuilder b = new StringBuilder(512);
        b.append("Return-Path: <").append(address).append(">\n");
        b.append("Received: from mx.example (mx.example [192.0.2.1]) by mail.acme.example; ").append(RFC_5322.format(time)).append('\n');
        b.append("Received: from relay.customer.example (relay.customer.example [198.51.100.7]) by mx.example with ESMTPS; ")
                .append(RFC_5322.format(time.minusSeconds(2))).append('\n');
        b.append("Message-ID: <").append(id).append(">\n");
        b.append("Date: ").append(RFC_5322.format(time)).append('\n');
        b.append("From: \"").append(address, 0, address.indexOf('@')).append("\" <").append(address).append(">")
                .append(extra).append('\n');
        b.append("To: ").append(to).append('\n');
        b.append("Subject: ").append(subject).append('\n');
        if (inReplyTo != null) {
            b.append("In-Reply-To: <").append(inReplyTo).append(">\nReferences: <").append(inReplyTo).append(">\n");
        }
        if (autoReply) {
            b.append("Auto-Submitted: auto-replied\n");
        }
        b.append("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n");
        b.append("Hello,\n\nthis body is never read by Replyclock.\n".repeat(8));
        Path file = out.resolve(folder).resolve("cur").resolve(time.getEpochSecond() + "." + id.hashCode() + ".bench:2,S");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(b.toString());
        }
    }

    /** A delivery status notification (RFC 3464) in the inbox, referring to the message that bounced. */
    private static void writeBounce(Path out, String id, String bounced, Instant time, String recipient) throws IOException {
        String text = "Return-Path: <>\n"
                + "Received: from mx.acme.example by mail.acme.example; " + RFC_5322.format(time) + "\n"
                + "Message-ID: <" + id + ">\nDate: " + RFC_5322.format(time) + "\n"
                + "From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>\nTo: sales@acme.example\n"
                + "Subject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\n"
                + "In-Reply-To: <" + bounced + ">\nX-Failed-Recipients: " + recipient + "\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
                + "--b1\nContent-Type: text/plain\n\nThe mail system could not deliver your message.\n--b1--\n";
        Files.writeString(out.resolve("inbox").resolve("cur").resolve(time.getEpochSecond() + "." + id.hashCode() + ".bench:2,S"),
                text, StandardCharsets.UTF_8);
    }

    /** Writes {@code config.yaml}: the sales mailbox (files inbox, sent), its team of {@link #REPS} and its SLA. */
    public static void writeConfig(Path out) throws IOException {
        StringBuilder members = new StringBuilder();
        for (String rep : REPS) {
            members.append("      - {id: ").append(rep).append(", addresses: [").append(rep).append("@acme.example]}\n");
        }
        Files.writeString(out.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  sales: {first_response: 4h, warn_before: 30m, attempts: {count: 3, within: 14d, until_reply: true}}
                teams:
                  sales:
                    members:
                """ + members + """
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: berlin,
                     source: {type: files, paths: [inbox, sent]}}
                """);
    }
}
