package dev.replyclock.alert.email;

import dev.replyclock.alert.AlertChannel;
import dev.replyclock.alert.AlertMessage;
import dev.replyclock.alert.DeliveryException;
import dev.replyclock.alert.DigestMessage;
import dev.replyclock.alert.Text;
import dev.replyclock.config.AlertsConfig.Smtp;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Email over SMTP (jakarta.mail): STARTTLS (required, not opportunistic), implicit TLS (SMTPS) or none (tests), login
 * from the configuration (whose {@code ${VAR}} come from the environment). Each message is multipart/alternative:
 * plain text and HTML, every value HTML-escaped. Connection problems and 4xx replies are retryable; 5xx rejections
 * and bad logins fail the message. The password appears in no exception or log.
 */
public final class EmailChannel implements AlertChannel {

    static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm z", Locale.ENGLISH);

    private final String name;
    private final Smtp smtp;
    private final List<String> to;
    private final Session session;

    public EmailChannel(String name, Smtp smtp, List<String> to) {
        this.name = name;
        this.smtp = smtp;
        this.to = List.copyOf(to);
        this.session = Session.getInstance(properties(smtp));
    }

    static Properties properties(Smtp smtp) {
        Properties p = new Properties();
        String proto = smtp.tls() == Smtp.Tls.IMPLICIT ? "smtps" : "smtp";
        p.setProperty("mail.transport.protocol", proto);
        String pre = "mail." + proto + ".";
        p.setProperty(pre + "host", smtp.host());
        p.setProperty(pre + "port", Integer.toString(smtp.port()));
        String millis = Long.toString(smtp.timeout().toMillis());
        p.setProperty(pre + "connectiontimeout", millis);
        p.setProperty(pre + "timeout", millis);
        p.setProperty(pre + "writetimeout", millis);
        p.setProperty(pre + "auth", Boolean.toString(smtp.username() != null));
        if (smtp.tls() == Smtp.Tls.STARTTLS) {
            p.setProperty(pre + "starttls.enable", "true");
            p.setProperty(pre + "starttls.required", "true");
        }
        if (smtp.tls() != Smtp.Tls.NONE) {
            p.setProperty(pre + "ssl.checkserveridentity", "true");
        }
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertMessage m) throws DeliveryException {
        deliver(Text.oneLine(m.headline()), plain(m), html(m));
    }

    @Override
    public void send(DigestMessage d) throws DeliveryException {
        deliver(Text.oneLine(d.headline()), plain(d), html(d));
    }

    static String plain(AlertMessage m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.headline()).append("\n\n");
        if (m.party() != null) {
            sb.append("Mailbox:  ").append(m.mailboxAddress()).append('\n');
            sb.append("From:     ").append(m.party()).append('\n');
            sb.append("Subject:  ").append(Text.oneLine(Text.orDash(m.subject()))).append('\n');
            sb.append("Waited:   ").append(Text.duration(m.waited())).append(" in business time\n");
            sb.append("Deadline: ").append(m.deadline().format(DEADLINE)).append('\n');
            sb.append("Rep:      ").append(Text.orDash(m.rep())).append('\n');
        }
        if (m.detail() != null) {
            sb.append(m.detail()).append('\n');
        }
        if (m.link() != null) {
            sb.append("\n").append(m.link()).append('\n');
        }
        return sb.toString();
    }

    static String html(AlertMessage m) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><body>");
        sb.append("<p><strong>").append(Text.html(m.headline())).append("</strong></p>");
        if (m.party() != null) {
            sb.append("<table>");
            row(sb, "Mailbox", m.mailboxAddress());
            row(sb, "From", m.party());
            row(sb, "Subject", Text.orDash(m.subject()));
            row(sb, "Waited", Text.duration(m.waited()) + " in business time");
            row(sb, "Deadline", m.deadline().format(DEADLINE));
            row(sb, "Rep", Text.orDash(m.rep()));
            sb.append("</table>");
        }
        if (m.detail() != null) {
            sb.append("<p>").append(Text.html(m.detail())).append("</p>");
        }
        if (m.link() != null) {
            sb.append("<p><a href=\"").append(Text.html(m.link())).append("\">Open in Replyclock</a></p>");
        }
        return sb.append("</body></html>").toString();
    }

    static String plain(DigestMessage d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.headline()).append("\n\n");
        sb.append("Leads: ").append(d.stats().leads())
                .append("\nMedian first response: ").append(Text.seconds(d.stats().medianBusinessSeconds()))
                .append("\nCompliance: ").append(Text.percent(d.stats().compliance())).append('\n');
        if (!d.worstWaits().isEmpty()) {
            sb.append("\nWorst waits:\n");
            for (DigestMessage.Wait w : d.worstWaits()) {
                sb.append("  ").append(Text.duration(w.waited())).append("  ").append(w.party()).append("  ")
                        .append(Text.oneLine(Text.orDash(w.subject()))).append("  (").append(w.state()).append(", ")
                        .append(w.mailboxId()).append(")\n");
            }
        }
        if (!d.reps().isEmpty()) {
            sb.append("\nReps:\n");
            for (DigestMessage.RepLine r : d.reps()) {
                sb.append("  ").append(r.rep()).append(": ").append(r.stats().leads()).append(" first responses, median ")
                        .append(Text.seconds(r.stats().medianBusinessSeconds())).append(", compliance ")
                        .append(Text.percent(r.stats().compliance())).append('\n');
            }
        }
        if (d.link() != null) {
            sb.append('\n').append(d.link()).append('\n');
        }
        return sb.toString();
    }

    static String html(DigestMessage d) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><body>");
        sb.append("<h2>").append(Text.html(d.headline())).append("</h2><table>");
        row(sb, "Leads", Integer.toString(d.stats().leads()));
        row(sb, "Median first response", Text.seconds(d.stats().medianBusinessSeconds()));
        row(sb, "Compliance", Text.percent(d.stats().compliance()));
        sb.append("</table>");
        if (!d.worstWaits().isEmpty()) {
            sb.append("<h3>Worst waits</h3><table>");
            for (DigestMessage.Wait w : d.worstWaits()) {
                sb.append("<tr><td>").append(Text.html(Text.duration(w.waited()))).append("</td><td>")
                        .append(Text.html(w.party())).append("</td><td>").append(Text.html(Text.orDash(w.subject())))
                        .append("</td><td>").append(Text.html(w.state())).append("</td><td>")
                        .append(Text.html(w.mailboxId())).append("</td></tr>");
            }
            sb.append("</table>");
        }
        if (!d.reps().isEmpty()) {
            sb.append("<h3>Reps</h3><table>");
            for (DigestMessage.RepLine r : d.reps()) {
                sb.append("<tr><td>").append(Text.html(r.rep())).append("</td><td>").append(r.stats().leads())
                        .append(" first responses</td><td>median ")
                        .append(Text.html(Text.seconds(r.stats().medianBusinessSeconds()))).append("</td><td>compliance ")
                        .append(Text.html(Text.percent(r.stats().compliance()))).append("</td></tr>");
            }
            sb.append("</table>");
        }
        if (d.link() != null) {
            sb.append("<p><a href=\"").append(Text.html(d.link())).append("\">Open in Replyclock</a></p>");
        }
        return sb.append("</body></html>").toString();
    }

    private static void row(StringBuilder sb, String label, String value) {
        sb.append("<tr><th align=\"left\">").append(Text.html(label)).append("</th><td>").append(Text.html(value))
                .append("</td></tr>");
    }

    private void deliver(String subject, String plain, String html) throws DeliveryException {
        MimeMessage message;
        try {
            message = new MimeMessage(session);
            message.setFrom(new InternetAddress(smtp.from()));
            Address[] recipients = new Address[to.size()];
            for (int i = 0; i < to.size(); i++) {
                recipients[i] = new InternetAddress(to.get(i));
            }
            message.setRecipients(Message.RecipientType.TO, recipients);
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(plain, StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(rich);
            message.setContent(alternative);
            message.saveChanges();
        } catch (AddressException e) {
            throw DeliveryException.fail("email channel " + name + ": bad address");
        } catch (MessagingException e) {
            throw DeliveryException.fail("email channel " + name + ": cannot build the message");
        }
        try (Transport transport = session.getTransport()) {
            if (smtp.username() != null) {
                transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
            } else {
                transport.connect();
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (AuthenticationFailedException e) {
            throw DeliveryException.fail("email channel " + name + ": SMTP login refused");
        } catch (MessagingException e) {
            int code = replyCode(e);
            if (e instanceof SendFailedException && code == 0) {
                throw DeliveryException.fail("email channel " + name + ": recipients refused");
            }
            if (code >= 500) {
                throw DeliveryException.fail("email channel " + name + ": SMTP " + code);
            }
            String reason = hasCause(e, SocketTimeoutException.class) ? DeliveryException.TIMEOUT
                    : code >= 400 ? DeliveryException.SERVER_ERROR : DeliveryException.CONNECTION;
            throw DeliveryException.retry(reason, "email channel " + name + ": " + reason
                    + (code > 0 ? " (SMTP " + code + ")" : ""));
        }
    }

    private static int replyCode(MessagingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException f) {
                return f.getReturnCode();
            }
        }
        return 0;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
