package dev.replyclock.thread;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Subject normalisation for the subject fallback (SPEC section 4.3 and 13 "Threading order"). */
public final class Subjects {

    private static final Pattern PREFIX = Pattern.compile(
            "^(?:(re|fwd?|aw|wg|sv|vs|antw|tr|rv|odp|ynt|回复|答复|转发)\\s*(?:[\\[(]\\s*\\d+\\s*[\\])])?\\s*[:：]|\\[[^\\]]*\\])\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private Subjects() {
    }

    /** A normalised subject and whether a reply or forward prefix was stripped from it. */
    public record Normalised(String text, boolean replyOrForward) {
    }

    public static Normalised normalise(String subject) {
        String rest = subject == null ? "" : subject.strip();
        boolean prefixed = false;
        while (!rest.isEmpty() && mayStartPrefix(rest.charAt(0))) {
            Matcher m = PREFIX.matcher(rest);
            if (!m.find()) {
                break;
            }
            prefixed |= m.group(1) != null;
            rest = rest.substring(m.end());
        }
        return new Normalised(fold(rest.strip()), prefixed);
    }

    /** Whether a prefix or a {@code [tag]} can start here: most subjects skip the regular expression. */
    private static boolean mayStartPrefix(char c) {
        return "rRfFaAwWsSvVtToOyY[".indexOf(c) >= 0 || c == '回' || c == '答' || c == '转';
    }

    /** Lower case with every run of white space folded to one blank. */
    private static String fold(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || (i + 1 < lower.length() && Character.isWhitespace(lower.charAt(i + 1))))) {
                return BLANKS.matcher(lower).replaceAll(" ");
            }
        }
        return lower;
    }
}
