package dev.replyclock.ingest.imap;

import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Properties;

/**
 * Angus Mail's IMAP store (imap or imaps) whose connections read responses through a {@link ResponseReader}. Angus
 * Mail keeps the connection's input stream private, so it is taken by reflection; should a later version rename it,
 * the connection reads as Angus Mail does (slower, nothing else changes).
 */
public final class BufferedImapStore extends IMAPStore {

    private static final Field TRACE_INPUT = traceInputField();

    /** The provider that makes {@code Session.getStore} return this store for {@code protocol} (imap or imaps). */
    static Provider provider(String protocol) {
        return new Provider(Provider.Type.STORE, protocol, BufferedImapStore.class.getName(), "Replyclock", null);
    }

    /** Called by jakarta.mail through {@link #provider}. */
    public BufferedImapStore(Session session, URLName url) {
        super(session, url, url.getProtocol(), "imaps".equals(url.getProtocol()));
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        return new BufferedProtocol(name, host, port, session.getProperties(), isSSL, logger);
    }

    /** True when this Angus Mail lets the responses be read through a {@link ResponseReader}. */
    static boolean readsBuffered() {
        return TRACE_INPUT != null;
    }

    private static Field traceInputField() {
        try {
            Field f = Protocol.class.getDeclaredField("traceInput");
            if (!InputStream.class.isAssignableFrom(f.getType())) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    private static final class BufferedProtocol extends IMAPProtocol {
        /** Set on the first read (inside the superclass's constructor, which reads the greeting): no initialisers. */
        private ResponseInputStream replaced;
        private ResponseReader reader;

        BufferedProtocol(String name, String host, int port, Properties props, boolean isSSL, MailLogger logger)
                throws IOException, ProtocolException {
            super(name, host, port, props, isSSL, logger);
        }

        @Override
        protected ResponseInputStream getInputStream() {
            ResponseInputStream current = super.getInputStream();
            if (TRACE_INPUT == null) {
                return current;
            }
            if (current != replaced) { // the first read, or STARTTLS (or compression) gave the connection new streams
                try {
                    reader = new ResponseReader((InputStream) TRACE_INPUT.get(this));
                } catch (IllegalAccessException e) {
                    return current;
                }
                replaced = current;
            }
            return reader;
        }
    }
}
