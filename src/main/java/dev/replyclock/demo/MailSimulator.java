package dev.replyclock.demo;

import com.icegreen.greenmail.imap.AuthorizationException;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes realistic sales mail into GreenMail: shared mailboxes get leads (at every hour, fewer at night and on
 * weekends; some through a web form), auto-acknowledgements, replies from reps' own addresses and on behalf of the
 * shared mailbox, out-of-office answers, the lead writing again, and reps' follow-up attempts. Every message is
 * delivered into INBOX or Sent with its INTERNALDATE at the moment it is "sent", so the service sees mail arrive
 * as it would from a real server. The same seed gives the same mail.
 *
 * <p>{@link #backfill} writes the history; {@link #advance} then delivers what has become due (new leads every
 * {@code leadEvery} on average, the answers scheduled for earlier leads). Thread-safe.
 */
public final class MailSimulator {

    /** A shared mailbox: its address, its team's reps, how often leads come in (relative weight). */
    public record Box(String address, String displayName, List<Rep> reps, List<String> subjects, double weight,
                      boolean autoAcknowledge) {
    }

    /** A rep: member id, name, own address, and how long they typically take to answer. */
    public record Rep(String id, String name, String address, Duration typical) {
    }

    /** Counters of what was delivered. */
    public record Counts(int leads, int answers, int automated, int followUps) {
    }

    private static final String FORM_SENDER = "noreply@forms.example";
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final List<String> FIRST = List.of("Jana", "Lukas", "Maria", "Omar", "Sofia", "Jonas", "Lea", "Noah",
            "Emma", "Paul", "Mia", "Ben", "Hannah", "Elias", "Clara", "Finn", "Aylin", "Mateo", "Ines", "Yuki");
    private static final List<String> LAST = List.of("Weber", "Schmidt", "Novak", "Rossi", "Dubois", "Kowalski", "Berg",
            "Jansen", "Costa", "Fischer", "Horvat", "Lind", "Moreau", "Keller", "Sato", "Brandt");
    private static final List<String> COMPANIES = List.of("buyer-one", "nordwerk", "praxis-lindner", "fleetline",
            "optik-berg", "baustoff-kraus", "archiv24", "medtec-novak", "logistik-ost", "hotel-seeblick", "agentur-blau",
            "kanzlei-roth", "brauerei-alt", "solarplus", "klinik-west", "autohaus-sommer");

    private final GreenMail greenMail;
    private final List<Box> boxes;
    private final ZoneId zone;
    private final Duration leadEvery;
    private final SplittableRandom random;
    private final Session session = Session.getInstance(new Properties());
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    private final Map<String, GreenMailUser> users = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final String domainTag;
    private Instant nextLead;
    private int leads;
    private int answers;
    private int automated;
    private int followUps;

    /**
     * @param zone      where the people live (the hours leads come in)
     * @param leadEvery mean demo time between two live leads
     */
    public MailSimulator(GreenMail greenMail, List<Box> boxes, ZoneId zone, Duration leadEvery, long seed,
                         String password) {
        this.greenMail = greenMail;
        this.boxes = List.copyOf(boxes);
        this.zone = zone;
        this.leadEvery = leadEvery;
        this.random = new SplittableRandom(seed);
        this.domainTag = "s" + seed;
        for (Box box : boxes) {
            users.put(box.address(), greenMail.setUser(box.address(), box.address(), password));
        }
    }

    /**
     * Writes {@code span} of history up to {@code now}, starting at the local midnight before {@code now - span}, so
     * that the same seed on the same day gives the same history; answers due after {@code now} stay scheduled.
     */
    public synchronized void backfill(Instant now, Duration span) {
        Instant t = now.minus(span).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        while (true) {
            t = t.plus(historyGap(t));
            if (!t.isBefore(now)) {
                break;
            }
            lead(t);
        }
        nextLead = now.plus(Duration.ofSeconds(1));
        deliverDue(now);
    }

    /** Delivers every lead and answer due by {@code now}; returns how many messages went out. */
    public synchronized int advance(Instant now) {
        if (nextLead == null) {
            nextLead = now;
        }
        while (!nextLead.isAfter(now)) {
            lead(nextLead);
            nextLead = nextLead.plus(exponential(leadEvery));
        }
        return deliverDue(now);
    }

    public synchronized Counts counts() {
        return new Counts(leads, answers, automated, followUps);
    }

    /** Leads come less often at night and on weekends (mean gap about 1.5 h by day, 6 h at night). */
    private Duration historyGap(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        boolean day = local.getHour() >= 8 && local.getHour() < 19;
        Duration mean = Duration.ofMinutes(day ? (weekend ? 240 : 80) : 360);
        return exponential(mean);
    }

    private Duration exponential(Duration mean) {
        double u = Math.max(1e-9, random.nextDouble());
        long seconds = (long) (-Math.log(u) * mean.toSeconds());
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    private Box pickBox() {
        double total = boxes.stream().mapToDouble(Box::weight).sum();
        double r = random.nextDouble() * total;
        for (Box box : boxes) {
            r -= box.weight();
            if (r < 0) {
                return box;
            }
        }
        return boxes.get(boxes.size() - 1);
    }

    /** One lead and everything that will follow it, scheduled. */
    private void lead(Instant at) {
        Box box = pickBox();
        int n = sequence.incrementAndGet();
        String first = FIRST.get(random.nextInt(FIRST.size()));
        String last = LAST.get(random.nextInt(LAST.size()));
        String domain = COMPANIES.get(random.nextInt(COMPANIES.size())) + ".example";
        String party = first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "@" + domain;
        String partyName = first + " " + last;
        String subject = box.subjects().get(random.nextInt(box.subjects().size()));
        String leadId = "lead-" + n + "." + domainTag + "@" + domain;
        boolean form = random.nextDouble() < 0.15;
        Convo thread = new Convo(leadId, form ? "New contact form: " + subject : subject);
        if (form) {
            schedule(at, box, "INBOX", Kind.LEAD, message(leadId, at, "Website <" + FORM_SENDER + ">", box.address(), null,
                    thread.subject, null, "Reply-To: " + partyName + " <" + party + ">\r\n"));
        } else {
            schedule(at, box, "INBOX", Kind.LEAD, message(leadId, at, partyName + " <" + party + ">", box.address(), null,
                    thread.subject, null, ""));
        }
        if (box.autoAcknowledge()) {
            Instant ack = at.plusSeconds(5 + random.nextInt(40));
            schedule(ack, box, "Sent", Kind.AUTOMATED, message(id("ack", n), ack, box.displayName() + " <" + box.address() + ">",
                    party, null, "Re: " + thread.subject + " (we received your message)", thread,
                    "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n"));
        }
        Rep rep = box.reps().get(random.nextInt(box.reps().size()));
        double outcome = random.nextDouble();
        if (outcome < 0.12) {
            // Never answered; the lead asks again after a while.
            Instant again = at.plus(Duration.ofMinutes(90 + random.nextInt(60 * 24)));
            schedule(again, box, "INBOX", Kind.INBOUND, message(id("again", n), again, partyName + " <" + party + ">",
                    box.address(), null, "Re: " + thread.subject, thread, ""));
            return;
        }
        // Answer time: the rep's typical wait times 0.3 .. 3.
        double factor = 0.3 + random.nextDouble() * 2.7;
        Instant answer = at.plusSeconds((long) (rep.typical().toSeconds() * factor) + 30);
        boolean onBehalf = random.nextDouble() < 0.4;
        String answerId = id("re-" + rep.id(), n);
        if (onBehalf) {
            schedule(answer, box, "Sent", Kind.ANSWER, message(answerId, answer, box.displayName() + " <" + box.address() + ">",
                    party, null, "Re: " + thread.subject, thread, "X-Replyclock-Rep: " + rep.id() + "\r\n"));
        } else {
            schedule(answer, box, "Sent", Kind.ANSWER, message(answerId, answer, rep.name() + " <" + rep.address() + ">",
                    party, box.address(), "Re: " + thread.subject, thread, ""));
        }
        thread.references.add(answerId);
        double next = random.nextDouble();
        if (next < 0.15) {
            // The lead is away: an out-of-office answer, then the rep tries again.
            Instant ooo = answer.plusSeconds(20 + random.nextInt(60));
            schedule(ooo, box, "INBOX", Kind.AUTOMATED, message(id("ooo", n), ooo, partyName + " <" + party + ">",
                    box.address(), null, "Abwesenheitsnotiz: Re: " + thread.subject, thread,
                    "Auto-Submitted: auto-replied\r\n"));
            followUps(box, rep, party, thread, answer, n, 1 + random.nextInt(2));
        } else if (next < 0.55) {
            // The lead writes back, the rep answers again.
            Instant back = answer.plus(Duration.ofMinutes(20 + random.nextInt(60 * 8)));
            String backId = id("back", n);
            schedule(back, box, "INBOX", Kind.INBOUND, message(backId, back, partyName + " <" + party + ">", box.address(),
                    null, "Re: " + thread.subject, thread, ""));
            thread.references.add(backId);
            Instant again = back.plusSeconds((long) (rep.typical().toSeconds() * (0.5 + random.nextDouble() * 2)) + 60);
            schedule(again, box, "Sent", Kind.ANSWER, message(id("re2-" + rep.id(), n), again,
                    rep.name() + " <" + rep.address() + ">", party, box.address(), "Re: " + thread.subject, thread, ""));
        } else if (next < 0.85) {
            // Silence: follow-up attempts, days apart.
            followUps(box, rep, party, thread, answer, n, 1 + random.nextInt(3));
        }
    }

    private void followUps(Box box, Rep rep, String party, Convo thread, Instant after, int n, int count) {
        Instant t = after;
        for (int i = 1; i <= count; i++) {
            t = t.plus(Duration.ofHours(20 + random.nextInt(60)));
            String fid = id("follow" + i + "-" + rep.id(), n);
            schedule(t, box, "Sent", Kind.FOLLOW_UP, message(fid, t, rep.name() + " <" + rep.address() + ">", party,
                    box.address(), "Re: " + thread.subject, thread, ""));
            thread.references.add(fid);
        }
    }

    private String id(String what, int n) {
        return what + "-" + n + "." + domainTag + "@acme.example";
    }

    private void schedule(Instant at, Box box, String folder, Kind kind, String raw) {
        pending.add(new Pending(at, sequence.incrementAndGet(), box.address(), folder, kind, raw));
    }

    private int deliverDue(Instant now) {
        int delivered = 0;
        while (!pending.isEmpty() && !pending.peek().at().isAfter(now)) {
            Pending p = pending.poll();
            deliver(p);
            delivered++;
            switch (p.kind()) {
                case LEAD -> leads++;
                case ANSWER -> answers++;
                case AUTOMATED -> automated++;
                case FOLLOW_UP -> followUps++;
                case INBOUND -> { }
            }
        }
        return delivered;
    }

    private void deliver(Pending p) {
        try {
            ImapHostManager host = greenMail.getManagers().getImapHostManager();
            GreenMailUser user = users.get(p.mailbox());
            MailFolder folder = p.folder().equals("INBOX") ? host.getInbox(user) : folder(host, user, p.folder());
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(p.raw().getBytes(StandardCharsets.UTF_8)));
            folder.appendMessage(message, new Flags(), Date.from(p.at()));
        } catch (MessagingException | FolderException | AuthorizationException e) {
            throw new IllegalStateException("cannot deliver demo mail: " + e.getMessage(), e);
        }
    }

    private static MailFolder folder(ImapHostManager host, GreenMailUser user, String name)
            throws FolderException, AuthorizationException {
        MailFolder folder = host.getFolder(user, name);
        return folder != null ? folder : host.createMailbox(user, name);
    }

    private String message(String messageId, Instant at, String from, String to, String cc, String subject, Convo thread,
                           String extraHeaders) {
        StringBuilder b = new StringBuilder();
        b.append("Message-ID: <").append(messageId).append(">\r\n");
        b.append("Date: ").append(RFC_5322.format(at.atZone(zone))).append("\r\n");
        b.append("From: ").append(from).append("\r\n");
        b.append("To: ").append(to).append("\r\n");
        if (cc != null) {
            b.append("Cc: ").append(cc).append("\r\n");
        }
        b.append("Subject: ").append(subject).append("\r\n");
        if (thread != null) {
            b.append("In-Reply-To: <").append(thread.references.get(thread.references.size() - 1)).append(">\r\n");
            b.append("References: ");
            for (int i = 0; i < thread.references.size(); i++) {
                b.append(i == 0 ? "" : " ").append('<').append(thread.references.get(i)).append('>');
            }
            b.append("\r\n");
        }
        b.append(extraHeaders);
        b.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        b.append("(simulated by replyclock demo; bodies are never read)\r\n");
        return b.toString();
    }

    private enum Kind { LEAD, ANSWER, AUTOMATED, FOLLOW_UP, INBOUND }

    /** A conversation being written: its subject and the ids replies refer to. */
    private static final class Convo {
        final String subject;
        final List<String> references = new ArrayList<>();

        Convo(String leadId, String subject) {
            this.subject = subject;
            references.add(leadId);
        }
    }

    private record Pending(Instant at, int order, String mailbox, String folder, Kind kind, String raw)
            implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Integer.compare(order, o.order);
        }
    }
}
