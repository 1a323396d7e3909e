package dev.replyclock.ingest.imap;

import com.icegreen.greenmail.util.GreenMailProxy;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** Puts mail into a GreenMail IMAP server the way a mail server would, with a chosen INTERNALDATE. */
public final class ImapFixtures {

    private ImapFixtures() {
    }

    /**
     * Appends the raw message bytes unchanged with a raw {@code APPEND folder () "date" {n}}: GreenMail
     * (like any IMAP server) takes the APPEND date-time argument as INTERNALDATE; without it, it uses
     * "now". (jakarta.mail's {@code appendMessages} would pass {@code getReceivedDate()}, which is null for
     * a parsed {@code MimeMessage}, and would re-serialise the message.) INTERNALDATE has whole seconds.
     */
    public static void append(IMAPFolder folder, byte[] rawMessage, Instant internalDate) throws MessagingException {
        Literal literal = new Literal() {
            @Override
            public int size() {
                return rawMessage.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(rawMessage);
            }
        };
        String name = folder.getFullName();
        String date = appendDate(internalDate);
        folder.doCommand(p -> {
            Argument args = new Argument();
            args.writeString(BASE64MailboxEncoder.encode(name));
            args.writeString(date);
            args.writeBytes(literal);
            Response[] responses = p.command("APPEND", args);
            p.notifyResponseHandlers(responses);
            p.handleResult(responses[responses.length - 1]);
            return null;
        });
    }

    /**
     * The APPEND date-time. GreenMail 2.1.13 parses it with {@code dd-MMM-yyyy hh:mm:ss Z}, a 12-hour clock
     * without AM/PM, so a local hour of 12 would come back as 00. The instant is therefore written in UTC, or
     * at {@code -0100} when its UTC hour is 12: the same instant, never a local 12 o'clock.
     */
    static String appendDate(Instant instant) {
        ZoneOffset offset = instant.atOffset(ZoneOffset.UTC).getHour() == 12 ? ZoneOffset.ofHours(-1) : ZoneOffset.UTC;
        return DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ROOT).format(instant.atOffset(offset));
    }

    /** A plain test client for the server's IMAP port (not the code under test). */
    static IMAPStore client(GreenMailProxy greenMail, String user, String password) throws MessagingException {
        return client(greenMail.getImap().getPort(), user, password);
    }

    /** A plain test client for an IMAP port on loopback. */
    public static IMAPStore client(int port, String user, String password) throws MessagingException {
        Properties props = new Properties();
        props.setProperty("mail.imap.host", "127.0.0.1");
        props.setProperty("mail.imap.port", Integer.toString(port));
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
        store.connect(user, password);
        return store;
    }

    /** The folder, created when missing. */
    public static IMAPFolder folder(IMAPStore store, String name) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(name);
        if (!f.exists()) {
            f.create(Folder.HOLDS_MESSAGES);
        }
        return f;
    }

    /** A small message: CRLF lines, Date header as given (deliberately unlike INTERNALDATE in tests). */
    public static byte[] message(String id, String from, String to, String subject, String date, String inReplyTo) {
        StringBuilder sb = new StringBuilder();
        sb.append("Message-ID: <").append(id).append(">\r\n");
        if (inReplyTo != null) {
            sb.append("In-Reply-To: <").append(inReplyTo).append(">\r\n");
        }
        sb.append("From: ").append(from).append("\r\n");
        sb.append("To: ").append(to).append("\r\n");
        sb.append("Subject: ").append(subject).append("\r\n");
        sb.append("Date: ").append(date).append("\r\n");
        sb.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        sb.append("Body of ").append(id).append(" that must never be fetched: SECRET-BODY-TEXT\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
