package dev.replyclock.figures;

import dev.replyclock.domain.MailMessage;

import java.util.List;

/**
 * One message of a lead's conversation as the engine saw it.
 *
 * @param rep  the rep of an outbound human message by SPEC section 6 (the first response's own rep for it)
 * @param role {@code lead}, {@code first_response}, or null
 */
public record TimelineMessage(MailMessage message, boolean outbound, String author, String party, String rep, String role,
                              boolean automated, List<String> automatedWhy) {
}
