package dev.replyclock.config;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code exclude[i]} rule (SPEC section 14): a message it matches is never a lead, attempt or wait; it counts as
 * automated. With both keys, both must match.
 *
 * @param from    glob over the author address ({@code *} any run of characters, case-insensitive, whole address); null
 *                when not given
 * @param subject regular expression searched in the decoded subject, case-insensitive; null when not given
 * @param path    where the rule is defined ({@code exclude[0]}), shown in a lead's timeline as the reason
 */
public record ExclusionRule(String from, String subject, String path, Pattern fromPattern, Pattern subjectPattern) {

    /** Whether the rule matches a message with this author (lower-cased, may be null) and decoded subject. */
    public boolean matches(String author, String decodedSubject) {
        if (fromPattern != null && (author == null || !fromPattern.matcher(author).matches())) {
            return false;
        }
        return subjectPattern == null || (decodedSubject != null && subjectPattern.matcher(decodedSubject).find());
    }

    /** How the timeline names the rule: {@code exclude[1] (subject "^(Bewerbung|Application)\b")}. */
    public String describe() {
        StringBuilder b = new StringBuilder(path).append(" (");
        if (from != null) {
            b.append("from \"").append(from).append('"');
        }
        if (subject != null) {
            b.append(from != null ? ", " : "").append("subject \"").append(subject).append('"');
        }
        return b.append(')').toString();
    }

    /** Reads one {@code exclude[i]}: {@code {from, subject}}, at least one of them. */
    static ExclusionRule from(YamlNode node) {
        YamlMap map = node.asMap();
        YamlNode fromNode = map.get("from");
        YamlNode subjectNode = map.get("subject");
        map.finish();
        if (fromNode == null && subjectNode == null) {
            node.error("a rule needs 'from', 'subject' or both");
            return null;
        }
        String from = fromNode == null ? null : fromNode.asString();
        String subject = subjectNode == null ? null : subjectNode.asString();
        if ((fromNode != null && from == null) || (subjectNode != null && subject == null)) {
            return null; // reported by asString
        }
        Pattern subjectPattern = null;
        if (subject != null) {
            try {
                subjectPattern = Pattern.compile(subject, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                subjectNode.error("not a regular expression: " + e.getDescription() + " near index " + e.getIndex());
                return null;
            }
        }
        if (from != null && from.isBlank()) {
            fromNode.error("must not be empty");
            return null;
        }
        Pattern fromPattern = from == null ? null : glob(from.strip().toLowerCase(Locale.ROOT));
        return new ExclusionRule(from, subject, node.path(), fromPattern, subjectPattern);
    }

    /** {@code *} matches any run of characters; everything else literally. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
            regex.append(Pattern.quote(glob.substring(start, star))).append(".*");
            start = star + 1;
        }
        regex.append(Pattern.quote(glob.substring(start)));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
