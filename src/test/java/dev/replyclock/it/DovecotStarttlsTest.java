package dev.replyclock.it;

import dev.replyclock.config.SourceConfig.Imap;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.imap.ImapSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STARTTLS against a real Dovecot: the connection changes its streams after the greeting and the capabilities (the
 * IMAP source's response reader is replaced with them), then reads the SpamAssassin ham exactly as a plaintext
 * connection to the same server reads it.
 */
class DovecotStarttlsTest {

    @Test
    void aSyncOverStarttlsReadsWhatAPlaintextOneReads() throws Exception {
        Path dir = DovecotServer.workDirectory("starttls");
        Path certificate = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", certificate.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), out);
        Path trustStore = trustStore(certificate, dir.resolve("trust.jks"));
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"))) {
            int delivered = DovecotSyncTest.deliverHam(dovecot);
            dovecot.withStarttls(certificate, key).start();
            List<MailMessage> plaintext = read(dovecot, Imap.Tls.NONE, null);
            List<MailMessage> starttls = read(dovecot, Imap.Tls.STARTTLS, trustStore);
            assertTrue(plaintext.size() > 2_000 && plaintext.size() <= delivered, plaintext.size() + " of " + delivered);
            assertEquals(plaintext, starttls);
            // Dovecot logs a login on loopback as "secured", and one after STARTTLS as "TLS"
            long tlsLogins = dovecot.log().lines().filter(l -> l.contains("Login:") && l.contains(", TLS,")).count();
            assertEquals(1, tlsLogins, dovecot.log());
        }
    }

    private static List<MailMessage> read(DovecotServer dovecot, Imap.Tls tls, Path trustStore) throws Exception {
        Imap config = new Imap("127.0.0.1", dovecot.port(), tls, DovecotServer.USER, DovecotServer.PASSWORD,
                List.of("INBOX"), false, trustStore);
        List<MailMessage> read = new ArrayList<>();
        try (ImapSource source = new ImapSource("sales", config, new HeaderParser("X-Replyclock-Rep"), "X-Replyclock-Rep",
                null)) {
            source.poll(folder -> Optional.empty(), batch -> read.addAll(batch.messages()));
        }
        return read;
    }

    /** A JKS trust store holding the server's certificate (read without a password, as the source reads it). */
    private static Path trustStore(Path certificatePem, Path file) throws Exception {
        KeyStore trust = KeyStore.getInstance("JKS");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            trust.setCertificateEntry("dovecot", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, "changeit".toCharArray());
        }
        return file;
    }
}
