package dev.replyclock.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One email normalised to what Replyclock counts (SPEC section 1); never a body.
 *
 * @param id                normalised Message-ID (SPEC section 13 "Identity"), or a {@code synthetic-} id
 * @param references        ids from In-Reply-To then References, normalised, in header order, without repeats
 * @param subject           decoded Subject, or "" when missing
 * @param from              From addresses, lower-cased, in header order
 * @param sender            Sender address, lower-cased, or null
 * @param replyTo           Reply-To addresses, lower-cased
 * @param to                To addresses, lower-cased
 * @param cc                Cc addresses, lower-cased
 * @param eventTime         SPEC section 2 time, or null when undated
 * @param threadIndexRoot   first 22 bytes of a strictly-base64 Thread-Index, hex-encoded, or null
 * @param conversationHint  a source's own conversation id (Graph conversationId, Gmail threadId), or null
 * @param automationSigns   bit mask of {@link AutomationSign}
 * @param attribution       value of the configured attribution header, trimmed, or null
 * @param places            every mailbox folder a copy was seen in, in reading order
 */
public record MailMessage(
        String id,
        List<String> references,
        String subject,
        List<String> from,
        String sender,
        List<String> replyTo,
        List<String> to,
        List<String> cc,
        Instant eventTime,
        String threadIndexRoot,
        String conversationHint,
        int automationSigns,
        String attribution,
        List<Place> places) {

    public boolean dated() {
        return eventTime != null;
    }

    /** The first From address, or null when the message has none. */
    public String firstFrom() {
        return from.isEmpty() ? null : from.get(0);
    }

    public boolean hasSign(AutomationSign sign) {
        return sign.in(automationSigns);
    }

    /** This message with a source's own conversation id (Graph conversationId, Gmail threadId). */
    public MailMessage withConversationHint(String hint) {
        return new MailMessage(id, references, subject, from, sender, replyTo, to, cc, eventTime, threadIndexRoot,
                hint, automationSigns, attribution, places);
    }

    /**
     * This message merged with a later-read copy of it (SPEC section 3): headers stay this copy's,
     * the event time is the earliest, the places are the union.
     */
    public MailMessage mergedWith(MailMessage copy) {
        Instant earliest = eventTime;
        if (copy.eventTime != null && (earliest == null || copy.eventTime.isBefore(earliest))) {
            earliest = copy.eventTime;
        }
        List<Place> union = places;
        for (Place place : copy.places) {
            if (!union.contains(place)) {
                if (union == places) {
                    union = new ArrayList<>(places);
                }
                union.add(place);
            }
        }
        if (earliest == eventTime && union == places) {
            return this;
        }
        return new MailMessage(id, references, subject, from, sender, replyTo, to, cc, earliest,
                threadIndexRoot, conversationHint, automationSigns, attribution, List.copyOf(union));
    }
}
