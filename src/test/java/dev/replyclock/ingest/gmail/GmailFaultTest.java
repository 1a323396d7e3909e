package dev.replyclock.ingest.gmail;

import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.poll.PollCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Gmail that throttles, refuses delegation or grants less than asked, polled by the service's own path. */
class GmailFaultTest {

    private static final int LEADS = 12;

    @TempDir
    Path dir;
    private GmailFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private GmailFixture fixture(String extraKeys) throws IOException {
        fx = new GmailFixture(dir, extraKeys);
        for (int n = 1; n <= LEADS; n++) {
            fx.lead(n, "2024-02-27T08:" + (10 + n) + ":00Z");
            fx.reply(n, "2024-02-27T09:" + (10 + n) + ":00Z");
        }
        return fx;
    }

    @Test
    void aThrottlingStormIsWaitedOutNeverRetryingBeforeRetryAfterAndCountsEveryMessageOnce() throws Exception {
        FakeGmail gmail = fixture("").gmail;
        gmail.fault("/profile", 429, "1", "rateLimitExceeded");
        gmail.fault("/labels/INBOX", 403, "1", "rateLimitExceeded");
        gmail.fault("/messages?labelIds=INBOX", 429, "2", "rateLimitExceeded");
        gmail.fault("/messages?labelIds=INBOX", 403, "1", "userRateLimitExceeded");
        gmail.fault("/batch/gmail/v1", 429, "1", "rateLimitExceeded");
        gmail.fault("/messages/18c", 403, "1", "userRateLimitExceeded");
        gmail.fault("/messages/18c", 429, "1", "rateLimitExceeded");
        gmail.fault("/messages/18c", 429, null, "rateLimitExceeded");
        gmail.fault("/messages?labelIds=SENT", 503, null, "backendError");
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertFalse(outcome.failed(), outcome.error());
            assertEquals(2 * LEADS, outcome.newMessages());
        }
        assertEquals(0, gmail.pendingFaults(), "every scripted fault was met");
        assertEquals(9, gmail.answered.size(), "the storm as the fake answered it: " + gmail.answered);
        assertRetryAfterHonoured(gmail);
        assertEquals(2 * LEADS, fx.store.counts().messages());
        assertEquals(2 * LEADS, fx.store.counts().copies(), "every message fetched and stored once");
        assertEquals(LEADS, fx.live.leads().size());
        assertTrue(fx.live.leads().stream().allMatch(l -> l.firstResponse() != null));

        // A storm on the history of a later poll is waited out the same way.
        fx.lead(LEADS + 1, "2024-02-27T10:00:00Z");
        gmail.fault("/history?", 429, "1", "rateLimitExceeded");
        gmail.fault("/messages/18c", 403, "1", "userRateLimitExceeded");
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertFalse(outcome.failed(), outcome.error());
            assertEquals(1, outcome.newMessages());
        }
        assertRetryAfterHonoured(gmail);
        assertEquals(2 * LEADS + 1, fx.store.counts().copies());
    }

    /** Each fault with a Retry-After was followed by the next request for the same thing no earlier than asked. */
    private static void assertRetryAfterHonoured(FakeGmail gmail) {
        for (FakeGmail.Answered a : gmail.answered) {
            if (a.retryAfterSeconds() == 0) {
                continue;
            }
            String same = a.request().startsWith("/batch/") || a.request().startsWith("/gmail/") && a.request().contains("/messages/")
                    ? (a.request().startsWith("/batch/") ? "/batch/gmail/v1" : "batch> " + a.request()) : a.request();
            int next = -1;
            for (int i = 0; i < gmail.requests.size() && next < 0; i++) {
                if (gmail.arrivals.get(i) > a.nanos() && gmail.requests.get(i).startsWith(same)) {
                    next = i;
                }
            }
            assertTrue(next >= 0, "never asked again after " + a);
            long waitedMillis = (gmail.arrivals.get(next) - a.nanos()) / 1_000_000;
            assertTrue(waitedMillis >= a.retryAfterSeconds() * 1000, a + " was retried after " + waitedMillis + " ms");
        }
    }

    @Test
    void missingDelegationIsOneClearErrorNamingClientIdAndScopeWithoutKeyMaterial() throws Exception {
        FakeGmail gmail = fixture("").gmail;
        gmail.delegated(false);
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertTrue(outcome.failed());
            String error = outcome.error();
            // The fake answers 401 unauthorized_client as Google does; the JDK hides a 401's body from the auth library.
            assertEquals("mailbox sales: Google refused a token for sales@acme.example (HTTP 401): the"
                    + " service account is not authorized to impersonate users for"
                    + " https://www.googleapis.com/auth/gmail.readonly. In the Google Admin console (Security → API"
                    + " controls → Domain-wide delegation) the client id " + FakeGmail.CLIENT_ID + " needs the OAuth"
                    + " scope https://www.googleapis.com/auth/gmail.readonly.", error);
            assertFalse(error.contains("PRIVATE KEY") || error.contains(FakeGmail.privateKeyText().substring(40, 80)));
        }
        assertEquals(1, gmail.tokenRefusals.size(), "asked once: " + gmail.tokenRefusals);
        assertEquals(0, fx.store.counts().messages());
    }

    @Test
    void aScopeOtherThanTheGrantedOneIsRefusedAndGmailMetadataWorksWhenThatIsGranted() throws Exception {
        FakeGmail gmail = fixture("").gmail;
        gmail.grantedScope("https://www.googleapis.com/auth/gmail.metadata");
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertTrue(outcome.failed());
            assertTrue(outcome.error().contains("needs the OAuth scope https://www.googleapis.com/auth/gmail.readonly"),
                    outcome.error());
        }
        fx.close();
        fx = null;
        java.nio.file.Files.delete(dir.resolve("replyclock.db"));
        FakeGmail metadata = fixture(", scope: gmail.metadata").gmail;
        metadata.grantedScope("https://www.googleapis.com/auth/gmail.metadata");
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertFalse(outcome.failed(), outcome.error());
            assertEquals(2 * LEADS, outcome.newMessages(), "headers-only reads need no more than gmail.metadata");
        }
    }

    @Test
    void aUserOutsideTheDomainIsInvalidGrantAndARefusedApiCallNamesTheDelegation() throws Exception {
        fixture("");
        SourceConfig.Gmail c = fx.gmailConfig;
        SourceConfig.Gmail nobody = new SourceConfig.Gmail("nobody@acme.example", c.serviceAccountJson(), null, c.labels(),
                c.baseUrl(), c.scope());
        try (GmailSource source = new GmailSource("sales", nobody, new HeaderParser(null), null, GmailFixture.QUICK, 5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertTrue(outcome.failed());
            assertTrue(outcome.error().startsWith("mailbox sales: Google refused a token for nobody@acme.example"
                    + " (invalid_grant): the user is not a member of the Workspace domain"), outcome.error());
        }
        fx.gmail.fault("/profile", 403, null, "insufficientPermissions");
        try (GmailSource source = fx.source(5)) {
            PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
            assertTrue(outcome.failed());
            assertTrue(outcome.error().startsWith("mailbox sales: Gmail refused the profile (HTTP 403 insufficientPermissions"),
                    outcome.error());
            assertTrue(outcome.error().contains("Domain-wide delegation"), outcome.error());
        }
    }
}
