package dev.replyclock.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Message-ID normalisation (SPEC sections 3 and 13 "Identity", "Reading, in detail"). */
public final class MessageIds {

    private MessageIds() {
    }

    /**
     * The normalised id of a {@code Message-ID} value: the first {@code <...>} if there is one
     * ({@code <>} gives null), else the whole trimmed value; split at the last {@code @}, the domain
     * lower-cased. Null for a missing or empty value.
     */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        int lt = value.indexOf('<');
        String id;
        if (lt >= 0) {
            int gt = value.indexOf('>', lt + 1);
            id = (gt < 0 ? value.substring(lt + 1) : value.substring(lt + 1, gt)).strip();
        } else {
            id = value.strip();
        }
        return id.isEmpty() ? null : lowerDomain(id);
    }

    /** The id with the part after its last {@code @} lower-cased. */
    public static String lowerDomain(String id) {
        int at = id.lastIndexOf('@');
        if (at < 0 || at == id.length() - 1) {
            return id;
        }
        String domain = id.substring(at + 1);
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.equals(domain) ? id : id.substring(0, at + 1) + lower;
    }

    /**
     * Ids named by {@code In-Reply-To} then {@code References} (either may be null), normalised,
     * without repeats: each header yields every {@code <...>} token, else its white-space separated tokens
     * shaped like an id ({@link #isBareId}).
     */
    public static List<String> references(String inReplyTo, String references) {
        Set<String> ids = new LinkedHashSet<>();
        collect(inReplyTo, ids);
        collect(references, ids);
        return ids.isEmpty() ? List.of() : List.copyOf(ids);
    }

    static void collect(String value, Set<String> ids) {
        if (value == null || value.isEmpty()) {
            return;
        }
        boolean bracketed = false;
        int i = value.indexOf('<');
        while (i >= 0) {
            int gt = value.indexOf('>', i + 1);
            if (gt < 0) {
                break;
            }
            bracketed = true;
            String id = value.substring(i + 1, gt).strip();
            if (!id.isEmpty()) {
                ids.add(lowerDomain(id));
            }
            i = value.indexOf('<', gt + 1);
        }
        if (bracketed) {
            return;
        }
        for (String token : value.split("\\s+")) {
            if (isBareId(token)) {
                ids.add(lowerDomain(token));
            }
        }
    }

    /**
     * A bracketless token counts only when shaped like {@code local@domain} (SPEC section 13 "Identity"): split at
     * its last {@code @}, a local part without blanks, quotes, brackets or {@code (),;:<>}, and a domain of letters,
     * digits, dots and hyphens that begins and ends with a letter or digit. Gnus' {@code x@y.org's message of "..."}
     * yields nothing.
     */
    static boolean isBareId(String token) {
        int at = token.lastIndexOf('@');
        if (at <= 0 || at == token.length() - 1) {
            return false;
        }
        for (int k = 0; k < at; k++) {
            char c = token.charAt(k);
            if (Character.isWhitespace(c) || "\"'[](),;:<>".indexOf(c) >= 0) {
                return false;
            }
        }
        String domain = token.substring(at + 1);
        if (!Character.isLetterOrDigit(domain.charAt(0)) || !Character.isLetterOrDigit(domain.charAt(domain.length() - 1))) {
            return false;
        }
        for (int k = 0; k < domain.length(); k++) {
            char c = domain.charAt(k);
            if (!Character.isLetterOrDigit(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }
}
