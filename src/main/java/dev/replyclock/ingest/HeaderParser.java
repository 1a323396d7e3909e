package dev.replyclock.ingest;

import dev.replyclock.domain.AutomationSign;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one message's raw header block into a {@link MailMessage} (SPEC sections 2, 3, 5, 13).
 *
 * <p>Lenient by design: folded headers are unfolded, raw bytes are UTF-8 when valid and ISO-8859-1
 * otherwise, lines that are no header are skipped, a leading mbox {@code From } line and a UTF-8
 * BOM are ignored, duplicate single-valued headers keep the first, To/Cc/Received take all, encoded
 * words in unknown charsets stay as written, a lone CR ends a line as LF does. The only failure is a
 * block with none of From, Date, Message-ID, Received and Subject. Thread-safe: a parser holds only its configuration.
 */
public final class HeaderParser {

    /** Header blocks are cut here; a file with no blank line in its first MiB is not read further. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final String[] AUTOMATED_SUBJECT_STARTS = {"automatic reply", "auto reply", "auto-reply",
        "autoreply", "out of office", "abwesenheitsnotiz", "réponse automatique", "undeliverable",
        "undelivered mail", "delivery status notification", "mail delivery failed", "returned mail"};

    private static final int H_OTHER = 0;
    private static final int H_MESSAGE_ID = 1;
    private static final int H_DATE = 2;
    private static final int H_SUBJECT = 3;
    private static final int H_FROM = 4;
    private static final int H_SENDER = 5;
    private static final int H_REPLY_TO = 6;
    private static final int H_TO = 7;
    private static final int H_CC = 8;
    private static final int H_IN_REPLY_TO = 9;
    private static final int H_REFERENCES = 10;
    private static final int H_RECEIVED = 11;
    private static final int H_THREAD_INDEX = 12;
    private static final int H_AUTO_SUBMITTED = 13;
    private static final int H_X_AUTOREPLY = 14;
    private static final int H_X_AUTORESPOND = 15;
    private static final int H_X_AUTO_RESPONSE_SUPPRESS = 16;
    private static final int H_PRECEDENCE = 17;
    private static final int H_LIST_ID = 18;
    private static final int H_CONTENT_TYPE = 19;
    private static final int H_RETURN_PATH = 20;
    private static final int H_X_FAILED_RECIPIENTS = 21;
    private static final int H_ATTRIBUTION = 22;
    private static final int HEADER_KINDS = 23;

    private static final Map<String, Integer> KINDS = new HashMap<>();

    static {
        KINDS.put("message-id", H_MESSAGE_ID);
        KINDS.put("date", H_DATE);
        KINDS.put("subject", H_SUBJECT);
        KINDS.put("from", H_FROM);
        KINDS.put("sender", H_SENDER);
        KINDS.put("reply-to", H_REPLY_TO);
        KINDS.put("to", H_TO);
        KINDS.put("cc", H_CC);
        KINDS.put("in-reply-to", H_IN_REPLY_TO);
        KINDS.put("references", H_REFERENCES);
        KINDS.put("received", H_RECEIVED);
        KINDS.put("thread-index", H_THREAD_INDEX);
        KINDS.put("auto-submitted", H_AUTO_SUBMITTED);
        KINDS.put("x-autoreply", H_X_AUTOREPLY);
        KINDS.put("x-autorespond", H_X_AUTORESPOND);
        KINDS.put("x-auto-response-suppress", H_X_AUTO_RESPONSE_SUPPRESS);
        KINDS.put("precedence", H_PRECEDENCE);
        KINDS.put("list-id", H_LIST_ID);
        KINDS.put("content-type", H_CONTENT_TYPE);
        KINDS.put("return-path", H_RETURN_PATH);
        KINDS.put("x-failed-recipients", H_X_FAILED_RECIPIENTS);
    }

    private final String attributionHeader;

    /** @param attributionHeader name of the attribution header (SPEC section 6), e.g. {@code X-Replyclock-Rep} */
    public HeaderParser(String attributionHeader) {
        this.attributionHeader = attributionHeader == null ? null
                : attributionHeader.strip().toLowerCase(Locale.ROOT);
    }

    /** Parses a whole header block. */
    public MailMessage parse(byte[] headerBlock, Place place, Instant serverTime) throws UnreadableMessageException {
        return parse(headerBlock, 0, headerBlock.length, place, serverTime);
    }

    /**
     * Parses the header block in {@code block[off, off + len)}; parsing stops at the first empty line.
     *
     * @param place      where this copy was read
     * @param serverTime the server's time for the message (IMAP INTERNALDATE), overriding Date; or null
     * @throws UnreadableMessageException when the block has none of From, Date, Message-ID, Received, Subject
     */
    public MailMessage parse(byte[] block, int off, int len, Place place, Instant serverTime)
            throws UnreadableMessageException {
        Fields f = new Fields();
        int end = off + len;
        int p = off;
        if (len >= 3 && (block[p] & 0xff) == 0xef && (block[p + 1] & 0xff) == 0xbb && (block[p + 2] & 0xff) == 0xbf) {
            p += 3;
        }
        if (startsWith(block, p, end, "From ")) { // mbox postmark line
            p = lineEnd(block, p, end);
        }
        int kind = -1; // kind of the header being read; -1: none
        int valueStart = 0;
        int valueEnd = 0;
        while (p < end) {
            int eol = lineBreak(block, p, end);
            int next = eol < 0 ? end : eol + 1;
            int contentEnd = eol < 0 ? end : eol;
            if (contentEnd > p && block[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            if (contentEnd == p) {
                break; // the empty line that ends the header block
            }
            byte first = block[p];
            if (first == ' ' || first == '\t') {
                if (kind >= 0) {
                    valueEnd = contentEnd;
                }
                p = next;
                continue;
            }
            if (kind >= 0) {
                f.add(kind, block, valueStart, valueEnd);
            }
            kind = -1;
            int colon = headerNameEnd(block, p, contentEnd);
            if (colon > 0) {
                int nameEnd = colon;
                while (nameEnd > p && (block[nameEnd - 1] == ' ' || block[nameEnd - 1] == '\t')) {
                    nameEnd--;
                }
                String name = new String(block, p, nameEnd - p, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                Integer k = KINDS.get(name);
                if (k != null) {
                    kind = k;
                } else if (name.equals(attributionHeader)) {
                    kind = H_ATTRIBUTION;
                }
                valueStart = colon + 1;
                valueEnd = contentEnd;
            }
            p = next;
        }
        if (kind >= 0) {
            f.add(kind, block, valueStart, valueEnd);
        }
        if (f.count[H_FROM] == 0 && f.count[H_DATE] == 0 && f.count[H_MESSAGE_ID] == 0
                && f.count[H_RECEIVED] == 0 && f.count[H_SUBJECT] == 0) {
            throw new UnreadableMessageException("no From, Date, Message-ID, Received or Subject header");
        }
        return build(f, place, serverTime);
    }

    private MailMessage build(Fields f, Place place, Instant serverTime) {
        String rawSubject = f.first[H_SUBJECT];
        String subject = rawSubject == null ? "" : HeaderText.decodeWords(rawSubject.strip());
        List<String> from = Addresses.parse(f.first[H_FROM]);
        List<String> to = addressesOfAll(f.all[H_TO]);
        List<String> cc = addressesOfAll(f.all[H_CC]);
        String id = MessageIds.normalise(f.first[H_MESSAGE_ID]);
        if (id == null) {
            id = syntheticId(from.isEmpty() ? "" : from.get(0), f.first[H_DATE], subject, to.isEmpty() ? "" : to.get(0));
        }
        Instant time = serverTime;
        if (time == null) {
            time = MailDates.parse(f.first[H_DATE]);
        }
        if (time == null && f.receivedCount > 0) {
            for (int r = 0; r < f.receivedCount; r++) {
                String received = HeaderText.decodeBytes(f.block, f.received[2 * r], f.received[2 * r + 1] - f.received[2 * r]);
                int semi = received.lastIndexOf(';');
                Instant t = semi < 0 ? null : MailDates.parse(received.substring(semi + 1));
                if (t != null && (time == null || t.isAfter(time))) {
                    time = t;
                }
            }
        }
        int signs = f.signs;
        String contentType = f.first[H_CONTENT_TYPE];
        if (contentType != null && mediaType(contentType).equals("multipart/report")) {
            signs |= AutomationSign.MULTIPART_REPORT.bit();
        }
        String lowerSubject = subject.strip().toLowerCase(Locale.ROOT);
        for (String start : AUTOMATED_SUBJECT_STARTS) {
            if (lowerSubject.startsWith(start)) {
                signs |= AutomationSign.AUTOMATED_SUBJECT.bit();
                break;
            }
        }
        String attribution = f.first[H_ATTRIBUTION] == null ? null
                : HeaderText.decodeWords(f.first[H_ATTRIBUTION].strip()).strip();
        if (attribution != null && attribution.isEmpty()) {
            attribution = null;
        }
        return new MailMessage(id,
                MessageIds.references(f.first[H_IN_REPLY_TO], f.first[H_REFERENCES]),
                subject,
                from,
                Addresses.first(f.first[H_SENDER]),
                Addresses.parse(f.first[H_REPLY_TO]),
                to,
                cc,
                time,
                threadIndexRoot(f.first[H_THREAD_INDEX]),
                null,
                signs,
                attribution,
                List.of(place));
    }

    private static List<String> addressesOfAll(List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() == 1) {
            return Addresses.parse(values.get(0));
        }
        List<String> all = new ArrayList<>();
        for (String v : values) {
            all.addAll(Addresses.parse(v));
        }
        return all;
    }

    /**
     * SPEC 13 "Identity": {@code synthetic-} + the first 32 hex digits of SHA-256 over the lower-cased
     * first From address, the raw Date (unfolded, trimmed), the decoded Subject and the lower-cased
     * first To address, joined with NUL; a missing header is an empty string.
     */
    public static String syntheticId(String firstFrom, String rawDate, String subject, String firstTo) {
        String joined = nz(firstFrom).toLowerCase(Locale.ROOT) + '\0' + nz(rawDate).strip() + '\0' + nz(subject)
                + '\0' + nz(firstTo).toLowerCase(Locale.ROOT);
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        StringBuilder sb = new StringBuilder("synthetic-");
        for (int k = 0; k < 16; k++) {
            sb.append(Character.forDigit((hash[k] >> 4) & 0xf, 16)).append(Character.forDigit(hash[k] & 0xf, 16));
        }
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Hex of the first 22 bytes of a strictly-base64 Thread-Index (white space removed), else null. */
    public static String threadIndexRoot(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(value.length());
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (!Character.isWhitespace(c)) {
                clean.append(c);
            }
        }
        int n = clean.length();
        if (n == 0 || n % 4 != 0) {
            return null;
        }
        int pad = clean.charAt(n - 1) == '=' ? (clean.charAt(n - 2) == '=' ? 2 : 1) : 0;
        for (int k = 0; k < n - pad; k++) {
            if (HeaderText.base64Value(clean.charAt(k)) < 0) {
                return null;
            }
        }
        byte[] bytes = java.util.Base64.getDecoder().decode(clean.toString());
        if (bytes.length < 22) {
            return null;
        }
        StringBuilder hex = new StringBuilder(44);
        for (int k = 0; k < 22; k++) {
            hex.append(Character.forDigit((bytes[k] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[k] & 0xf, 16));
        }
        return hex.toString();
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** Index of the colon ending a valid header name at {@code p}, or -1 when the line is no header. */
    private static int headerNameEnd(byte[] b, int p, int end) {
        boolean blanks = false;
        for (int k = p; k < end; k++) {
            byte c = b[k];
            if (c == ':') {
                return k > p ? k : -1;
            }
            if (c == ' ' || c == '\t') {
                blanks = true; // allowed only between the name and the colon ("Subject :")
            } else if (c < 33 || c > 126 || blanks) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int p, int end, String prefix) {
        if (end - p < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[p + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int lineEnd(byte[] b, int p, int end) {
        int eol = lineBreak(b, p, end);
        return eol < 0 ? end : eol + 1;
    }

    /**
     * The next LF, or a lone CR: files with old Mac line ends (CR only) or mixed ones are read line by line, as
     * mail readers do, rather than as one header that swallows the rest; a CR before an LF belongs to the LF.
     */
    private static int lineBreak(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            byte c = b[k];
            if (c == '\n' || (c == '\r' && (k + 1 == to || b[k + 1] != '\n'))) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Reads the header block of a message from {@code in}: everything before the first empty line
     * (LF or CRLF line ends), at most {@link #MAX_HEADER_BYTES}. Bytes after the block may have been
     * consumed from the stream; the body is never returned.
     */
    public static byte[] readHeaderBlock(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n = 0;
        int lineStart = 0;
        int scan = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length >= MAX_HEADER_BYTES) {
                    return buf;
                }
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_HEADER_BYTES));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
            for (; scan < n; scan++) {
                if (buf[scan] == '\n') {
                    int contentEnd = scan;
                    if (contentEnd > lineStart && buf[contentEnd - 1] == '\r') {
                        contentEnd--;
                    }
                    if (contentEnd == lineStart) {
                        return Arrays.copyOf(buf, lineStart);
                    }
                    lineStart = scan + 1;
                }
            }
        }
    }

    /** The header values a message needs, as text; counts of every kind seen. */
    private static final class Fields {
        final String[] first = new String[HEADER_KINDS];
        @SuppressWarnings("unchecked")
        final List<String>[] all = new List[HEADER_KINDS];
        final int[] count = new int[HEADER_KINDS];
        int signs;

        byte[] block;
        int[] received = new int[16];
        int receivedCount;

        void add(int kind, byte[] b, int from, int to) {
            count[kind]++;
            switch (kind) {
                case H_RECEIVED -> { // decoded only when Date gives no time
                    block = b;
                    if (2 * receivedCount + 2 > received.length) {
                        received = Arrays.copyOf(received, received.length * 2);
                    }
                    received[2 * receivedCount] = from;
                    received[2 * receivedCount + 1] = to;
                    receivedCount++;
                }
                case H_X_AUTOREPLY -> signs |= AutomationSign.X_AUTOREPLY.bit();
                case H_X_AUTORESPOND -> signs |= AutomationSign.X_AUTORESPOND.bit();
                case H_X_FAILED_RECIPIENTS -> signs |= AutomationSign.X_FAILED_RECIPIENTS.bit();
                case H_LIST_ID -> signs |= AutomationSign.LIST_ID.bit();
                default -> {
                    boolean many = kind == H_TO || kind == H_CC;
                    boolean sign = kind == H_AUTO_SUBMITTED || kind == H_X_AUTO_RESPONSE_SUPPRESS
                            || kind == H_PRECEDENCE || kind == H_RETURN_PATH;
                    if (first[kind] != null && !many && !sign) {
                        return; // a repeated single-valued header: the first wins
                    }
                    String value = HeaderText.decodeBytes(b, from, to - from);
                    if (first[kind] == null) {
                        first[kind] = value;
                    }
                    if (many) {
                        if (all[kind] == null) {
                            all[kind] = new ArrayList<>(2);
                        }
                        all[kind].add(value);
                    }
                    signs |= signOf(kind, value);
                }
            }
        }

        private static int signOf(int kind, String value) {
            switch (kind) {
                case H_AUTO_SUBMITTED: {
                    int semi = value.indexOf(';');
                    String token = (semi < 0 ? value : value.substring(0, semi)).strip();
                    return token.equalsIgnoreCase("no") ? 0 : AutomationSign.AUTO_SUBMITTED.bit();
                }
                case H_X_AUTO_RESPONSE_SUPPRESS: {
                    for (String token : value.split("[,\\s]+")) {
                        if (token.equalsIgnoreCase("all") || token.equalsIgnoreCase("oof")
                                || token.equalsIgnoreCase("autoreply")) {
                            return AutomationSign.X_AUTO_RESPONSE_SUPPRESS.bit();
                        }
                    }
                    return 0;
                }
                case H_PRECEDENCE: {
                    String v = value.strip();
                    int cut = 0;
                    while (cut < v.length() && !Character.isWhitespace(v.charAt(cut)) && v.charAt(cut) != ';'
                            && v.charAt(cut) != '(') {
                        cut++;
                    }
                    String token = v.substring(0, cut).toLowerCase(Locale.ROOT);
                    return switch (token) {
                        case "bulk", "junk", "list", "auto_reply" -> AutomationSign.PRECEDENCE.bit();
                        default -> 0;
                    };
                }
                case H_RETURN_PATH: {
                    String v = value.strip();
                    if (v.isEmpty() || v.charAt(0) != '<' || v.charAt(v.length() - 1) != '>') {
                        return 0;
                    }
                    return v.substring(1, v.length() - 1).isBlank() ? AutomationSign.NULL_RETURN_PATH.bit() : 0;
                }
                default:
                    return 0;
            }
        }
    }
}
