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
        while (!rest.isEmpty()) {
            Matcher m = PREFIX.matcher(rest);
            if (!m.find()) {
                break;
            }
            prefixed |= m.group(1) != null;
            rest = rest.substring(m.end());
        }
        String folded = BLANKS.matcher(rest.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
        return new Normalised(folded, prefixed);
    }
}
