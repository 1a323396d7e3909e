package dev.replyclock.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lenient RFC 5322 address-list reader that returns bare, lower-cased addresses in header order.
 * It understands display names (quoted, with commas, with encoded words), comments, {@code <>},
 * source routes and group syntax, keeps whatever can be read from a malformed list and never throws.
 */
public final class Addresses {

    private Addresses() {
    }

    /** Bare addresses of an address-list header value, lower-cased; empty for null. */
    public static List<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        StringBuilder bare = new StringBuilder();
        String angle = null;
        int segments = 0;
        String loneWord = null;
        int n = value.length();
        int i = 0;
        while (i <= n) {
            char c = i < n ? value.charAt(i) : ',';
            switch (c) {
                case '"' -> {
                    i = skipQuoted(value, i);
                    bare.append(' ');
                    continue;
                }
                case '(' -> {
                    i = skipComment(value, i);
                    bare.append(' ');
                    continue;
                }
                case '<' -> {
                    int gt = value.indexOf('>', i + 1);
                    String inside = gt < 0 ? value.substring(i + 1) : value.substring(i + 1, gt);
                    if (angle == null) {
                        angle = inside;
                    }
                    i = gt < 0 ? n : gt + 1;
                    continue;
                }
                case ':' -> {
                    // group start: what came before is the group's name
                    bare.setLength(0);
                    i++;
                    continue;
                }
                case ',', ';' -> {
                    String bareText = bare.toString().strip();
                    if (angle != null || !bareText.isEmpty()) {
                        segments++;
                    }
                    if (angle != null) {
                        String a = cleanAngle(angle);
                        if (!a.isEmpty()) {
                            out.add(a);
                        }
                    } else if (!bareText.isEmpty()) {
                        String a = lastTokenWithAt(bareText);
                        if (a != null) {
                            out.add(a);
                        } else if (bareText.indexOf(' ') < 0 && bareText.indexOf('\t') < 0) {
                            loneWord = bareText;
                        }
                    }
                    bare.setLength(0);
                    angle = null;
                    i++;
                    continue;
                }
                case '=' -> {
                    int end = encodedWordEnd(value, i);
                    if (end > 0) {
                        bare.append(' ');
                        i = end;
                        continue;
                    }
                }
                default -> {
                }
            }
            bare.append(c);
            i++;
        }
        if (out.isEmpty() && segments == 1 && loneWord != null && plausibleLocalPart(loneWord)) {
            // "From: MAILER-DAEMON": a lone word without a domain is an address (a local one)
            out.add(loneWord.toLowerCase(Locale.ROOT));
        }
        // Addresses repeat across messages (reps, the shared mailbox): one copy each keeps big mailboxes small.
        return switch (out.size()) {
            case 0 -> List.of();
            case 1 -> List.of(out.get(0).intern());
            default -> out.stream().map(String::intern).toList();
        };
    }

    /** The first address of the value, or null. */
    public static String first(String value) {
        List<String> all = parse(value);
        return all.isEmpty() ? null : all.get(0);
    }

    private static String cleanAngle(String inside) {
        String a = inside.strip();
        int colon = a.lastIndexOf(':');
        if (colon >= 0 && a.startsWith("@")) { // obsolete source route @a,@b:user@c
            a = a.substring(colon + 1);
        }
        StringBuilder sb = null;
        for (int k = 0; k < a.length(); k++) {
            char c = a.charAt(k);
            if (Character.isWhitespace(c)) {
                if (sb == null) {
                    sb = new StringBuilder(a.substring(0, k));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        if (sb != null) {
            a = sb.toString();
        }
        if (a.length() >= 2 && a.charAt(0) == '\'' && a.charAt(a.length() - 1) == '\'') {
            a = a.substring(1, a.length() - 1);
        }
        return a.toLowerCase(Locale.ROOT);
    }

    private static String lastTokenWithAt(String text) {
        String found = null;
        int n = text.length();
        int start = -1;
        for (int k = 0; k <= n; k++) {
            boolean sep = k == n || Character.isWhitespace(text.charAt(k));
            if (sep) {
                if (start >= 0) {
                    String token = text.substring(start, k);
                    if (token.indexOf('@') > 0 && token.indexOf('@') < token.length() - 1) {
                        found = token;
                    }
                    start = -1;
                }
            } else if (start < 0) {
                start = k;
            }
        }
        if (found == null) {
            return null;
        }
        found = stripQuotes(found);
        return found.isEmpty() ? null : found.toLowerCase(Locale.ROOT);
    }

    private static String stripQuotes(String token) {
        int s = 0;
        int e = token.length();
        while (s < e && "'[".indexOf(token.charAt(s)) >= 0) {
            s++;
        }
        while (e > s && "'].".indexOf(token.charAt(e - 1)) >= 0) {
            e--;
        }
        return token.substring(s, e);
    }

    private static boolean plausibleLocalPart(String word) {
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '+')) {
                return false;
            }
        }
        return true;
    }

    private static int skipQuoted(String s, int i) {
        int n = s.length();
        int k = i + 1;
        while (k < n) {
            char c = s.charAt(k);
            if (c == '\\') {
                k += 2;
                continue;
            }
            if (c == '"') {
                return k + 1;
            }
            k++;
        }
        return n;
    }

    private static int skipComment(String s, int i) {
        int n = s.length();
        int depth = 0;
        int k = i;
        while (k < n) {
            char c = s.charAt(k);
            if (c == '\\') {
                k += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return k + 1;
                }
            }
            k++;
        }
        return n;
    }

    /** End (exclusive) of an RFC 2047 encoded word starting at {@code i}, or -1 when there is none. */
    private static int encodedWordEnd(String s, int i) {
        int n = s.length();
        if (i + 1 >= n || s.charAt(i + 1) != '?') {
            return -1;
        }
        int q1 = s.indexOf('?', i + 2);
        if (q1 < 0 || q1 + 2 >= n || s.charAt(q1 + 2) != '?') {
            return -1;
        }
        int close = s.indexOf("?=", q1 + 3);
        if (close < 0) {
            return -1;
        }
        for (int k = i + 2; k < close; k++) {
            char c = s.charAt(k);
            if (c == ' ' || c == '\t' || c == '<' || c == '>') {
                return -1;
            }
        }
        return close + 2;
    }
}
