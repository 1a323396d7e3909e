package dev.replyclock.alert.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.alert.AlertEvent;
import dev.replyclock.alert.AlertMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackPayloadTest {

    @Test
    void blockKitWithAPlainTextFallbackAndEverythingEscaped() throws Exception {
        AlertMessage m = new AlertMessage(AlertEvent.AT_RISK, "sales-inbox", "sales@acme.example", "sales",
                "anna@customer.example", "<!channel> *urgent* <https://evil.example|click> " + "x".repeat(5000),
                Duration.ofMinutes(190), ZonedDateTime.of(2024, 12, 9, 14, 0, 0, 0, ZoneId.of("Europe/Berlin")),
                null, "https://rc.acme.example/leads/a%40x", null);
        JsonNode root = new ObjectMapper().readTree(SlackChannel.payload(m));
        assertEquals("At risk: anna@customer.example has waited 3h10m (sales@acme.example)", root.get("text").asText());
        JsonNode blocks = root.get("blocks");
        assertEquals("section", blocks.get(0).get("type").asText());
        assertEquals("mrkdwn", blocks.get(0).get("text").get("type").asText());
        String fields = blocks.get(1).get("fields").toString();
        assertTrue(fields.contains("Mon 9 Dec 14:00 CET"), fields);
        assertTrue(fields.contains("3h10m"), fields);
        assertTrue(fields.contains("&lt;!channel&gt;"), fields);
        assertFalse(fields.contains("<!channel>") || fields.contains("<https://evil"), fields);
        for (JsonNode field : blocks.get(1).get("fields")) {
            assertTrue(field.get("text").asText().length() <= 3000, "Slack's text object limit");
        }
        assertEquals("<https://rc.acme.example/leads/a%40x|Open in Replyclock>",
                blocks.get(2).get("text").get("text").asText());
    }

    @Test
    void retryAfterIsSecondsAndBounded() {
        assertEquals(Duration.ofSeconds(30), SlackChannel.retryAfter("30"));
        assertEquals(Duration.ofHours(1), SlackChannel.retryAfter("999999"));
        assertEquals(null, SlackChannel.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(null, SlackChannel.retryAfter(null));
    }
}
