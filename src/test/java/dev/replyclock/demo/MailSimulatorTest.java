package dev.replyclock.demo;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same seed writes the same mail; live advancing delivers new leads and the answers that became due. */
class MailSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-03-12T10:15:00Z");

    @Test
    void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() throws Exception {
        List<String> a = history(1);
        assertEquals(a, history(1));
        assertNotEquals(a, history(2));
        assertTrue(a.size() > 300, "a month of mail: " + a.size());
    }

    @Test
    void advancingDeliversLiveLeadsAndTheirAnswers() {
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            MailSimulator mail = new MailSimulator(greenMail, DemoWorld.boxes(), DemoWorld.ZONE, Duration.ofMinutes(5), 3, "pw");
            mail.backfill(NOW, Duration.ofDays(30));
            MailSimulator.Counts before = mail.counts();
            mail.advance(NOW.plus(Duration.ofHours(3)));
            MailSimulator.Counts after = mail.counts();
            assertTrue(after.leads() - before.leads() >= 15, before + " → " + after);
            assertTrue(after.answers() > before.answers(), before + " → " + after);
        } finally {
            greenMail.stop();
        }
    }

    private static List<String> history(long seed) throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            new MailSimulator(greenMail, DemoWorld.boxes(), DemoWorld.ZONE, Duration.ofMinutes(5), seed, "pw")
                    .backfill(NOW, Duration.ofDays(30));
            List<String> ids = new ArrayList<>();
            for (StoredMessage m : greenMail.getManagers().getImapHostManager().getAllMessages()) {
                ids.add(m.getMimeMessage().getMessageID() + " " + m.getReceivedDate().toInstant());
            }
            return ids;
        } finally {
            greenMail.stop();
        }
    }
}
