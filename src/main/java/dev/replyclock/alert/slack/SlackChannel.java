package dev.replyclock.alert.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.replyclock.alert.AlertChannel;
import dev.replyclock.alert.AlertEvent;
import dev.replyclock.alert.AlertMessage;
import dev.replyclock.alert.DeliveryException;
import dev.replyclock.alert.DigestMessage;
import dev.replyclock.alert.Text;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Slack incoming webhook: one POST of {@code {"text": fallback, "blocks": [...]}} per message (Block Kit,
 * {@code mrkdwn} with {@code & < >} escaped, so a subject can neither ping {@code <!channel>} nor forge a link).
 * {@code 429} honours {@code Retry-After}; 5xx, timeouts and connection failures are retryable; other statuses
 * fail the message. The webhook URL is a secret: it appears in no exception, log or metric.
 */
public final class SlackChannel implements AlertChannel {

    static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("EEE d MMM HH:mm z", Locale.ENGLISH);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI webhook;
    private final HttpClient client;
    private final Duration timeout;

    public SlackChannel(String name, String webhookUrl, Duration timeout) {
        this.name = name;
        this.webhook = URI.create(webhookUrl);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertMessage message) throws DeliveryException {
        post(payload(message));
    }

    @Override
    public void send(DigestMessage digest) throws DeliveryException {
        post(payload(digest));
    }

    /** Slack's control characters as HTML entities (mrkdwn and the fallback text alike). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return Text.truncate(Text.oneLine(s), 500).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String payload(AlertMessage m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", esc(m.headline()));
        ArrayNode blocks = root.putArray("blocks");
        String icon = switch (m.event()) {
            case AlertEvent.AT_RISK -> ":warning:";
            case AlertEvent.BREACHED, AlertEvent.ATTEMPTS_BREACHED -> ":red_circle:";
            default -> ":rotating_light:";
        };
        section(blocks, icon + " *" + esc(m.headline()) + "*");
        if (m.party() != null) {
            List<String> fields = new ArrayList<>();
            fields.add("*Mailbox*\n" + esc(m.mailboxAddress()));
            fields.add("*From*\n" + esc(m.party()));
            fields.add("*Subject*\n" + esc(Text.orDash(m.subject())));
            fields.add("*Waited (business time)*\n" + Text.duration(m.waited()));
            fields.add("*Deadline*\n" + esc(m.deadline().format(DEADLINE)));
            fields.add("*Rep*\n" + esc(Text.orDash(m.rep())));
            ObjectNode block = blocks.addObject();
            block.put("type", "section");
            ArrayNode f = block.putArray("fields");
            for (String field : fields) {
                ObjectNode t = f.addObject();
                t.put("type", "mrkdwn");
                t.put("text", field);
            }
        }
        if (m.detail() != null) {
            section(blocks, esc(m.detail()));
        }
        if (m.link() != null) {
            section(blocks, "<" + esc(m.link()) + "|Open in Replyclock>");
        }
        return root.toString();
    }

    static String payload(DigestMessage d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", esc(d.headline()));
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode ht = header.putObject("text");
        ht.put("type", "plain_text");
        ht.put("text", d.headline());
        StringBuilder sb = new StringBuilder();
        sb.append("*Leads:* ").append(d.stats().leads())
                .append("   *Median first response:* ").append(Text.seconds(d.stats().medianBusinessSeconds()))
                .append("   *Compliance:* ").append(Text.percent(d.stats().compliance()));
        section(blocks, sb.toString());
        if (!d.worstWaits().isEmpty()) {
            StringBuilder w = new StringBuilder("*Worst waits*");
            for (DigestMessage.Wait wait : d.worstWaits()) {
                w.append("\n• ").append(Text.duration(wait.waited())).append(" – ").append(esc(wait.party()))
                        .append(" – ").append(esc(Text.orDash(wait.subject()))).append(" (").append(esc(wait.state()))
                        .append(", ").append(esc(wait.mailboxId())).append(')');
            }
            section(blocks, w.toString());
        }
        if (!d.reps().isEmpty()) {
            StringBuilder r = new StringBuilder("*Reps*");
            for (DigestMessage.RepLine rep : d.reps()) {
                r.append("\n• ").append(esc(rep.rep())).append(": ").append(rep.stats().leads()).append(" first responses, median ")
                        .append(Text.seconds(rep.stats().medianBusinessSeconds())).append(", compliance ")
                        .append(Text.percent(rep.stats().compliance()));
            }
            section(blocks, r.toString());
        }
        if (d.link() != null) {
            section(blocks, "<" + esc(d.link()) + "|Open in Replyclock>");
        }
        return root.toString();
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode block = blocks.addObject();
        block.put("type", "section");
        ObjectNode text = block.putObject("text");
        text.put("type", "mrkdwn");
        text.put("text", mrkdwn);
    }

    private void post(String json) throws DeliveryException {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw DeliveryException.retry(DeliveryException.TIMEOUT, "slack channel " + name + ": no answer within "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // Not e.getMessage(): it can name the URL.
            throw DeliveryException.retry(DeliveryException.CONNECTION, "slack channel " + name + ": "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retry(DeliveryException.CONNECTION, "slack channel " + name + ": interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String body = Text.oneLine(response.body());
        if (body.length() > 100) {
            body = body.substring(0, 100);
        }
        if (status == 429) {
            throw new DeliveryException(DeliveryException.RATE_LIMITED, true,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)),
                    "slack channel " + name + ": 429 rate limited");
        }
        if (status >= 500) {
            throw DeliveryException.retry(DeliveryException.SERVER_ERROR, "slack channel " + name + ": HTTP " + status);
        }
        throw DeliveryException.fail("slack channel " + name + ": HTTP " + status + " " + body);
    }

    /** Seconds (Slack sends seconds); null when absent or unreadable (then the back-off applies). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
