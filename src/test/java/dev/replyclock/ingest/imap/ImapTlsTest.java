package dev.replyclock.ingest.imap;

import static dev.replyclock.ingest.imap.ImapFixtures.append;
import static dev.replyclock.ingest.imap.ImapFixtures.folder;
import static dev.replyclock.ingest.imap.ImapFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.config.SourceConfig.Imap;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificate checks against GreenMail's IMAPS port. GreenMail's bundled certificate (greenmail.p12 in
 * its jar) names no host (CN "GreenMail selfsigned Test Certificate", no subjectAltName), so with
 * {@code checkserveridentity} on it can never be accepted; the server is given a certificate for
 * {@code localhost} made with keytool instead ({@code greenmail.tls.keystore.file}, read once per JVM).
 */
class ImapTlsTest {

    static final Path DIR;
    static final Path SERVER_KEYSTORE;
    static final String PASSWORD = "changeit";

    static {
        ImapSourceTest.quietGreenMail();
        try {
            DIR = Files.createTempDirectory("replyclock-imap-tls");
            SERVER_KEYSTORE = DIR.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "greenmail", "-keyalg", "RSA",
                    "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "30",
                    "-keystore", SERVER_KEYSTORE.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        System.setProperty("greenmail.tls.keystore.file", SERVER_KEYSTORE.toString());
        System.setProperty("greenmail.tls.keystore.password", PASSWORD);
        System.setProperty("greenmail.tls.key.password", PASSWORD);
    }

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] {ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort()});

    static final String USER = "sales@acme.example";
    static final String USER_PASSWORD = "pw-imaps-1";

    final List<MailMessage> messages = new ArrayList<>();

    @BeforeEach
    void mail() throws Exception {
        greenMail.setUser(USER, USER, USER_PASSWORD);
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, USER_PASSWORD)) {
            append(folder(c, "INBOX"), message("tls-1@buyer.example", "b@buyer.example", USER, "Hello",
                    "Mon, 1 Jan 2024 08:00:00 +0000", null), Instant.parse("2024-03-01T09:00:00Z"));
        }
    }

    static Path trustStore(String type, String password) throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(SERVER_KEYSTORE)) {
            server.load(in, PASSWORD.toCharArray());
        }
        Certificate cert = server.getCertificate("greenmail");
        KeyStore trust = KeyStore.getInstance(type);
        trust.load(null, null);
        trust.setCertificateEntry("imap-server", cert);
        Path file = DIR.resolve("trust-" + type + "-" + System.nanoTime() + (type.equals("JKS") ? ".jks" : ".p12"));
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
        return file;
    }

    ImapSource source(String host, Imap.Tls tls, int port, Path trustStore, Function<String, String> env) {
        Imap config = new Imap(host, port, tls, USER, USER_PASSWORD, List.of("INBOX"), false, trustStore);
        ImapSource.Options options = ImapSource.Options.defaults().withTimeouts(5_000, 5_000).withEnv(env);
        return new ImapSource("sales", config, new HeaderParser("X-Replyclock-Rep"), "X-Replyclock-Rep", null, options);
    }

    void poll(ImapSource source) throws IOException {
        try (source) {
            source.poll(folder -> Optional.empty(), b -> messages.addAll(b.messages()));
        }
    }

    @Test
    void implicitTlsWithAPkcs12TrustStoreAndItsPasswordFromTheEnvironment() throws Exception {
        Path trust = trustStore("PKCS12", "trust-pw");
        poll(source("localhost", Imap.Tls.IMPLICIT, greenMail.getImaps().getPort(), trust,
                Map.of(ImapSource.TRUST_STORE_PASSWORD_ENV, "trust-pw")::get));
        assertEquals(List.of("tls-1@buyer.example"), messages.stream().map(MailMessage::id).toList());
    }

    @Test
    void aJksTrustStoreNeedsNoPassword() throws Exception {
        Path trust = trustStore("JKS", "whatever");
        poll(source("localhost", Imap.Tls.IMPLICIT, greenMail.getImaps().getPort(), trust, k -> null));
        assertEquals(1, messages.size());
    }

    @Test
    void withoutTheTrustStoreTheCertificateIsRefused() {
        ImapSource source = source("localhost", Imap.Tls.IMPLICIT, greenMail.getImaps().getPort(), null, k -> null);
        IOException e = assertThrows(IOException.class, () -> poll(source));
        assertTrue(e.getMessage().contains("localhost:" + greenMail.getImaps().getPort()), e.getMessage());
        assertTrue(e.getMessage().contains("SSLHandshakeException") || e.getMessage().contains("PKIX"), e.getMessage());
        assertFalse(e.getMessage().contains(USER_PASSWORD));
        assertTrue(messages.isEmpty());
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
        // the certificate names localhost only; 127.0.0.1 is the same server, but not the name checked
        Path trust = trustStore("JKS", "whatever");
        ImapSource source = source("127.0.0.1", Imap.Tls.IMPLICIT, greenMail.getImaps().getPort(), trust, k -> null);
        IOException e = assertThrows(IOException.class, () -> poll(source));
        assertTrue(e.getMessage().contains("127.0.0.1:" + greenMail.getImaps().getPort()), e.getMessage());
        assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"), e.getMessage());
        assertTrue(messages.isEmpty());
    }

    @Test
    void starttlsIsRequiredNotOptional() {
        // GreenMail's IMAP does not offer STARTTLS: the source must refuse to log in in plaintext
        ImapSource source = source("localhost", Imap.Tls.STARTTLS, greenMail.getImap().getPort(), null, k -> null);
        IOException e = assertThrows(IOException.class, () -> poll(source));
        assertTrue(e.getMessage().toLowerCase().contains("starttls"), e.getMessage());
        assertTrue(messages.isEmpty());
    }

    @Test
    void aMissingTrustStoreIsAClearError() {
        ImapSource source = source("localhost", Imap.Tls.IMPLICIT, greenMail.getImaps().getPort(),
                DIR.resolve("nope.p12"), k -> null);
        IOException e = assertThrows(IOException.class, () -> poll(source));
        assertTrue(e.getMessage().contains("trust store " + DIR.resolve("nope.p12") + " is not a readable file"),
                e.getMessage());
    }
}
