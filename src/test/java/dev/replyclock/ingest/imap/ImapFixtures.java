package dev.replyclock.ingest.imap;

import com.icegreen.greenmail.util.GreenMailProxy;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** Puts mail into a GreenMail IMAP server the way a mail server would, with a chosen INTERNALDATE. */
final class ImapFixtures {

    private ImapFixtures() {
    }

    /**
     * Appends the raw message bytes unchanged with a raw {@code APPEND folder () "date" {n}}: GreenMail
     * (like any IMAP server) takes the APPEND date-time argument as INTERNALDATE; without it, it uses
     * "now". (jakarta.mail's {@code appendMessages} would pass {@code getReceivedDate()}, which is null for
     * a parsed {@code MimeMessage}, and would re-serialise the message.) INTERNALDATE has whole seconds.
     */
    static void append(IMAPFolder folder, byte[] rawMessage, Instant internalDate) throws MessagingException {
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
        folder.doCommand(p -> {
            p.append(name, null, Date.from(internalDate), literal);
            return null;
        });
    }

    /** A plain test client for the server's IMAP port (not the code under test). */
    static IMAPStore client(GreenMailProxy greenMail, String user, String password) throws MessagingException {
        Properties props = new Properties();
        props.setProperty("mail.imap.host", "127.0.0.1");
        props.setProperty("mail.imap.port", Integer.toString(greenMail.getImap().getPort()));
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
        store.connect(user, password);
        return store;
    }

    /** The folder, created when missing. */
    static IMAPFolder folder(IMAPStore store, String name) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(name);
        if (!f.exists()) {
            f.create(Folder.HOLDS_MESSAGES);
        }
        return f;
    }

    /** A small message: CRLF lines, Date header as given (deliberately unlike INTERNALDATE in tests). */
    static byte[] message(String id, String from, String to, String subject, String date, String inReplyTo) {
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
