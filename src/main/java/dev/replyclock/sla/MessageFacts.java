package dev.replyclock.sla;

import dev.replyclock.config.ExclusionRule;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.domain.AutomationSign;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What SPEC section 5 derives from one message with the configuration: its author, party, direction,
 * the monitored mailbox it reached, and whether it is automated.
 *
 * @param author         From, or the one Reply-To of a group-rewritten message; null when there is no From
 * @param party          the author, or for a form sender its first Reply-To (the notifier when there is none)
 * @param formSender     the author is a form sender (never outbound)
 * @param outbound       the author is internal and not a form sender
 * @param reached        the first monitored mailbox (config order, reply-only ones left out) in To/Cc or read from its
 *                       inbox folder; null if none
 * @param automated      SPEC section 5 automated rules, with list signs ignored where a group mailbox was reached, or
 *                       an exclusion rule matched (section 14)
 * @param exclusion      the first exclusion rule the message matches, or null
 */
public record MessageFacts(MailMessage message, String author, String party, boolean formSender, boolean outbound,
                           MailboxConfig reached, boolean automated, ExclusionRule exclusion) {

    private static final Set<String> MACHINE_LOCAL_PARTS = Set.of(
            "mailer-daemon", "postmaster", "post_master", "noreply", "no-reply", "donotreply", "do-not-reply");

    /** An external (or form-sender) author who wrote to a monitored mailbox, not a machine: opens leads and waits. */
    public boolean inboundToMailbox() {
        return author != null && !outbound && !automated && reached != null;
    }

    /** Human, outbound: a candidate attempt once its addressing is checked. */
    public boolean humanOutbound() {
        return author != null && outbound && !automated;
    }

    public static MessageFacts of(MailMessage m, Roster roster) {
        String author = author(m, roster);
        boolean formSender = roster.isFormSender(author);
        String party = author;
        if (formSender && !m.replyTo().isEmpty()) {
            party = m.replyTo().get(0);
        }
        boolean outbound = author != null && !formSender && roster.isInternal(author);
        ExclusionRule exclusion = roster.exclusion(author, m.subject());
        boolean automated = exclusion != null || automated(m, author, formSender, roster);
        return new MessageFacts(m, author, party, formSender, outbound, reached(m, roster), automated, exclusion);
    }

    /**
     * Why the message counts as automated, for the lead timeline: the header signs it carries (lower-case names),
     * the exclusion rule that matched ({@code exclude[0] (from "*@vendor.example")}), {@code automated_sender} or
     * {@code machine_address}; empty when it is not automated.
     */
    public List<String> automatedWhy(Roster roster) {
        List<String> why = new ArrayList<>();
        if (!automated) {
            return why;
        }
        for (AutomationSign sign : AutomationSign.values()) {
            if (message.hasSign(sign)) {
                why.add(sign.name().toLowerCase(Locale.ROOT));
            }
        }
        if (exclusion != null) {
            why.add(exclusion.describe());
        }
        if (why.isEmpty() && author != null) {
            why.add(roster.isAutomatedSender(author) ? "automated_sender" : "machine_address");
        }
        return why;
    }

    private static String author(MailMessage m, Roster roster) {
        String from = m.firstFrom();
        if (from == null || !roster.isGroupAddress(from)) {
            return from;
        }
        List<String> others = m.replyTo().stream().filter(a -> !a.equals(from)).distinct().toList();
        return others.size() == 1 ? others.get(0) : from;
    }

    private static MailboxConfig reached(MailMessage m, Roster roster) {
        for (MailboxConfig mailbox : roster.mailboxes()) {
            if (!mailbox.repliesOnly() && reaches(m, mailbox)) {
                return mailbox;
            }
        }
        return null;
    }

    private static boolean reaches(MailMessage m, MailboxConfig mailbox) {
        String address = mailbox.address().toLowerCase(Locale.ROOT);
        if (m.to().contains(address) || m.cc().contains(address)) {
            return true;
        }
        for (Place place : m.places()) {
            if (place.inboxFolder() && place.mailboxId().equals(mailbox.id())) {
                return true;
            }
        }
        return false;
    }

    private static boolean automated(MailMessage m, String author, boolean formSender, Roster roster) {
        int signs = m.automationSigns();
        if (roster.hasGroups() && reachedGroup(m, roster)) {
            signs &= ~AutomationSign.LIST_SIGNS;
        }
        if (signs != 0) {
            return true;
        }
        if (author == null || formSender) {
            return false;
        }
        return roster.isAutomatedSender(author) || machineLocalPart(author);
    }

    private static boolean reachedGroup(MailMessage m, Roster roster) {
        return roster.mailboxes().stream().filter(MailboxConfig::group).anyMatch(g -> reaches(m, g));
    }

    static boolean machineLocalPart(String address) {
        int at = address.lastIndexOf('@');
        String local = (at >= 0 ? address.substring(0, at) : address).toLowerCase(Locale.ROOT);
        return MACHINE_LOCAL_PARTS.contains(local) || local.startsWith("owner-")
                || Stream.of("-owner", "-request", "-bounces", "-admin").anyMatch(local::endsWith);
    }
}
