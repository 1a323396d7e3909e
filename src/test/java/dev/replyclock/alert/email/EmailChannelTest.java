package dev.replyclock.alert.email;

import dev.replyclock.alert.AlertEvent;
import dev.replyclock.alert.AlertMessage;
import dev.replyclock.alert.DeliveryException;
import dev.replyclock.config.AlertsConfig.Smtp;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailChannelTest {

    @Test
    void starttlsIsRequiredAndSmtpsUsesTheSmtpsTransport() {
        Properties starttls = EmailChannel.properties(new Smtp("smtp.acme.example", 587, Smtp.Tls.STARTTLS, "u", "p",
                "rc@acme.example", Duration.ofSeconds(20)));
        assertEquals("smtp", starttls.getProperty("mail.transport.protocol"));
        assertEquals("true", starttls.getProperty("mail.smtp.starttls.required"));
        assertEquals("true", starttls.getProperty("mail.smtp.auth"));
        assertEquals("true", starttls.getProperty("mail.smtp.ssl.checkserveridentity"));
        Properties smtps = EmailChannel.properties(new Smtp("smtp.acme.example", 465, Smtp.Tls.IMPLICIT, null, null,
                "rc@acme.example", Duration.ofSeconds(20)));
        assertEquals("smtps", smtps.getProperty("mail.transport.protocol"));
        assertEquals("465", smtps.getProperty("mail.smtps.port"));
        assertEquals("false", smtps.getProperty("mail.smtps.auth"));
        assertFalse(starttls.toString().contains("=p,") || starttls.containsValue("p"), "no password in the properties");
    }

    @Test
    void anUnreachableServerIsRetryableAndTheMessageHoldsNoSecret() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmailChannel channel = new EmailChannel("managers", new Smtp("127.0.0.1", port, Smtp.Tls.NONE, "rc",
                "s3cret-smtp-password", "rc@acme.example", Duration.ofSeconds(2)), List.of("lead@acme.example"));
        DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(new AlertMessage(
                AlertEvent.BREACHED, "m", "sales@acme.example", "sales", "p@x.example", "S", Duration.ofHours(5),
                ZonedDateTime.parse("2024-12-09T13:00:00Z"), null, null, null)));
        assertTrue(e.retryable());
        assertEquals(DeliveryException.CONNECTION, e.reason());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    /**
     * A real conversation with an SMTP server that does not offer STARTTLS (a downgrade, or a misconfigured relay):
     * the channel must give up after EHLO, never sending the credentials or the alert in clear text.
     */
    @Test
    void aServerWithoutStarttlsNeverSeesTheCredentialsOrTheAlert() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringBuilder heard = new StringBuilder();
            Thread smtp = new Thread(() -> plainSmtpWithoutStarttls(server, heard));
            smtp.start();
            EmailChannel channel = new EmailChannel("managers", new Smtp("127.0.0.1", server.getLocalPort(), Smtp.Tls.STARTTLS,
                    "rc", "s3cret-smtp-password", "rc@acme.example", Duration.ofSeconds(5)), List.of("lead@acme.example"));
            DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(new AlertMessage(
                    AlertEvent.BREACHED, "m", "sales@acme.example", "sales", "p@x.example", "Secret deal", Duration.ofHours(5),
                    ZonedDateTime.parse("2024-12-09T13:00:00Z"), null, null, null)));
            smtp.join(10_000);
            String conversation;
            synchronized (heard) {
                conversation = heard.toString();
            }
            assertTrue(conversation.startsWith("EHLO "), conversation);
            assertFalse(conversation.contains("AUTH"), conversation);
            assertFalse(conversation.contains("MAIL FROM"), conversation);
            assertFalse(conversation.contains("Secret deal"), conversation);
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    /** Greets, answers EHLO without STARTTLS, then 250 to anything until QUIT or the client hangs up. */
    private static void plainSmtpWithoutStarttls(ServerSocket server, StringBuilder heard) {
        try (java.net.Socket client = server.accept();
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
                     java.nio.charset.StandardCharsets.US_ASCII));
             java.io.Writer out = new java.io.OutputStreamWriter(client.getOutputStream(), java.nio.charset.StandardCharsets.US_ASCII)) {
            out.write("220 relay.acme.example ESMTP\r\n");
            out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (heard) {
                    heard.append(line).append('\n');
                }
                if (line.startsWith("EHLO")) {
                    out.write("250-relay.acme.example\r\n250 AUTH PLAIN LOGIN\r\n");
                } else if (line.startsWith("QUIT")) {
                    out.write("221 bye\r\n");
                    out.flush();
                    return;
                } else {
                    out.write("250 ok\r\n");
                }
                out.flush();
            }
        } catch (java.io.IOException e) {
            // the client hung up: what it said is in heard
        }
    }
}
