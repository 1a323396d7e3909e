package dev.replyclock.sla;

import dev.replyclock.config.Config;
import dev.replyclock.config.ExclusionRule;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.config.TeamConfig.Member;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Who is who (SPEC sections 1, 5, 13 "Leads and parties"): members, monitored mailboxes, internal addresses. */
public final class Roster {

    /** A member with the team it belongs to. */
    public record TeamMember(String teamId, Member member) {
    }

    private final List<MailboxConfig> mailboxes;
    private final Map<String, TeamMember> memberByAddress = new HashMap<>();
    private final List<TeamMember> membersInOrder = new java.util.ArrayList<>();
    private final Map<String, MailboxConfig> mailboxByAddress = new HashMap<>();
    private final Set<String> groupAddresses = new HashSet<>();
    private final Set<String> internalDomains;
    private final Set<String> formSenders;
    private final Set<String> automatedSenders;
    private final List<ExclusionRule> exclusions;

    public Roster(Config config) {
        this.mailboxes = List.copyOf(config.mailboxes());
        for (TeamConfig team : config.teams().values()) {
            for (Member member : team.members()) {
                TeamMember tm = new TeamMember(team.id(), member);
                membersInOrder.add(tm);
                for (String address : member.addresses()) {
                    memberByAddress.putIfAbsent(lower(address), tm);
                }
            }
        }
        for (MailboxConfig mailbox : mailboxes) {
            mailboxByAddress.putIfAbsent(lower(mailbox.address()), mailbox);
            if (mailbox.group()) {
                groupAddresses.add(lower(mailbox.address()));
            }
        }
        this.internalDomains = lowerSet(config.internalDomains());
        this.formSenders = lowerSet(config.formSenders());
        this.automatedSenders = lowerSet(config.automatedSenders());
        this.exclusions = config.exclusions();
    }

    /** The first {@code exclude} rule matching the author and decoded subject (SPEC section 14), or null. */
    public ExclusionRule exclusion(String author, String subject) {
        for (ExclusionRule rule : exclusions) {
            if (rule.matches(author, subject)) {
                return rule;
            }
        }
        return null;
    }

    public List<MailboxConfig> mailboxes() {
        return mailboxes;
    }

    /** A member address, a monitored mailbox address, or an address in an internal domain (exact match). */
    public boolean isInternal(String address) {
        if (memberByAddress.containsKey(address) || mailboxByAddress.containsKey(address)) {
            return true;
        }
        int at = address.lastIndexOf('@');
        return at >= 0 && internalDomains.contains(address.substring(at + 1));
    }

    public boolean isExternal(String address) {
        return !isInternal(address);
    }

    public TeamMember memberByAddress(String address) {
        return address == null ? null : memberByAddress.get(address);
    }

    /** The member with exactly this id, or null. */
    public TeamMember memberById(String id) {
        for (TeamMember tm : membersInOrder) {
            if (tm.member().id().equals(id)) {
                return tm;
            }
        }
        return null;
    }

    /** The member whose id, address or name equals the value, ignoring case; first in config order. */
    public TeamMember memberNamed(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String wanted = value.strip();
        for (TeamMember tm : membersInOrder) {
            Member m = tm.member();
            if (m.id().equalsIgnoreCase(wanted) || (m.name() != null && m.name().equalsIgnoreCase(wanted))
                    || m.addresses().stream().anyMatch(a -> a.equalsIgnoreCase(wanted))) {
                return tm;
            }
        }
        return null;
    }

    public MailboxConfig mailboxByAddress(String address) {
        return address == null ? null : mailboxByAddress.get(address);
    }

    public boolean isGroupAddress(String address) {
        return groupAddresses.contains(address);
    }

    public boolean hasGroups() {
        return !groupAddresses.isEmpty();
    }

    public boolean isFormSender(String address) {
        return address != null && formSenders.contains(address);
    }

    public boolean isAutomatedSender(String address) {
        return automatedSenders.contains(address);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Set<String> lowerSet(List<String> values) {
        Set<String> set = new HashSet<>();
        values.forEach(v -> set.add(lower(v)));
        return set;
    }
}
