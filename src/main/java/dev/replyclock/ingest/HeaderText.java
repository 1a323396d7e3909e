package dev.replyclock.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turning raw header bytes into text: UTF-8 when the bytes are valid UTF-8, else ISO-8859-1
 * (so 8-bit junk never fails), and RFC 2047 encoded words in any charset Java knows. Nothing here
 * throws on bad input; what cannot be decoded is kept as it was written.
 */
public final class HeaderText {

    private static final int MAX_CACHED_CHARSETS = 512;
    private static final ConcurrentHashMap<String, Optional<Charset>> CHARSETS = new ConcurrentHashMap<>();
    private static final Charset WINDOWS_1252 = lookup("windows-1252");

    private HeaderText() {
    }

    /**
     * Bytes as UTF-8 when valid, else ISO-8859-1. CR and LF bytes are dropped (unfolding), and so are NUL bytes: no
     * header means one, and PostgreSQL's text cannot store it (a stored batch holding one would fail there).
     */
    public static String decodeBytes(byte[] b, int off, int len) {
        boolean ascii = true;
        boolean dropped = false;
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (c < 0) {
                ascii = false;
            } else if (c == '\r' || c == '\n' || c == 0) {
                dropped = true;
            }
        }
        if (dropped) {
            byte[] copy = new byte[len];
            int n = 0;
            for (int i = off, end = off + len; i < end; i++) {
                byte c = b[i];
                if (c != '\r' && c != '\n' && c != 0) {
                    copy[n++] = c;
                }
            }
            b = copy;
            off = 0;
            len = n;
        }
        if (ascii || !validUtf8(b, off, len)) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** Strict UTF-8 validity (no overlongs, no surrogates, at most U+10FFFF), without exceptions. */
    static boolean validUtf8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + need >= end) {
                return false;
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += need + 1;
        }
        return true;
    }

    /**
     * Decodes RFC 2047 encoded words (Q and B, any charset Java supports; {@code iso-8859-1} and
     * {@code us-ascii} are read as windows-1252, its superset). White space between two encoded
     * words is dropped; adjacent words in one charset are decoded together so that a character
     * split across words survives. An encoded word with an unknown charset or broken encoding is
     * kept as written. Never throws.
     */
    public static String decodeWords(String s) {
        int start = s.indexOf("=?");
        if (start < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int pos = 0;
        Charset pendingCharset = null;
        byte[] pending = new byte[64];
        int pendingLen = 0;
        int pendingEnd = -1;
        int i = start;
        int n = s.length();
        while (i >= 0 && i < n) {
            // =?charset?e?text?=
            int q1 = s.indexOf('?', i + 2);
            if (q1 < 0 || q1 + 2 >= n || s.charAt(q1 + 2) != '?' || q1 == i + 2 || hasBlank(s, i + 2, q1)) {
                i = s.indexOf("=?", i + 2);
                continue;
            }
            char enc = s.charAt(q1 + 1);
            int textStart = q1 + 3;
            int close = s.indexOf("?=", textStart);
            if (close < 0) {
                break;
            }
            if ((enc != 'q' && enc != 'Q' && enc != 'b' && enc != 'B') || hasBlank(s, textStart, close)) {
                i = s.indexOf("=?", i + 2);
                continue;
            }
            String name = s.substring(i + 2, q1);
            int star = name.indexOf('*');
            if (star >= 0) {
                name = name.substring(0, star);
            }
            Charset cs = charset(name);
            byte[] bytes = cs == null ? null
                    : (enc == 'b' || enc == 'B') ? base64(s, textStart, close) : quoted(s, textStart, close);
            if (bytes == null) {
                // keep as written; it also breaks a run of encoded words
                i = s.indexOf("=?", close + 2);
                continue;
            }
            boolean adjacent = pendingEnd >= 0 && onlyBlanks(s, pendingEnd, i);
            if (pendingCharset != null && !(adjacent && pendingCharset.equals(cs))) {
                out.append(new String(pending, 0, pendingLen, pendingCharset));
                pendingCharset = null;
                pendingLen = 0;
            }
            if (!adjacent) {
                out.append(s, pos, i);
            }
            if (pendingLen + bytes.length > pending.length) {
                pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + bytes.length));
            }
            System.arraycopy(bytes, 0, pending, pendingLen, bytes.length);
            pendingLen += bytes.length;
            pendingCharset = cs;
            pendingEnd = close + 2;
            pos = pendingEnd;
            i = s.indexOf("=?", pos);
        }
        if (pendingCharset != null) {
            out.append(new String(pending, 0, pendingLen, pendingCharset));
        }
        out.append(s, pos, n);
        String decoded = out.toString();
        return decoded.indexOf('\0') < 0 ? decoded : decoded.replace("\0", ""); // an encoded NUL, as decodeBytes
    }

    private static boolean hasBlank(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == ' ' || c == '\t') {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyBlanks(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** A charset by its MIME name, or null when Java does not know it (cached, also the misses). */
    public static Charset charset(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("iso-8859-1") || key.equals("us-ascii") || key.equals("latin1") || key.equals("iso8859-1")) {
            return WINDOWS_1252;
        }
        Optional<Charset> cached = CHARSETS.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(lookup(key));
            if (CHARSETS.size() < MAX_CACHED_CHARSETS) {
                CHARSETS.put(key, cached);
            }
        }
        return cached.orElse(null);
    }

    private static Charset lookup(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) { // illegal or unsupported name
            return null;
        }
    }

    private static byte[] quoted(String s, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '_') {
                out[n++] = ' ';
            } else if (c == '=') {
                if (k + 2 >= to) {
                    return null;
                }
                int hi = Character.digit(s.charAt(k + 1), 16);
                int lo = Character.digit(s.charAt(k + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) ((hi << 4) | lo);
                k += 2;
            } else if (c > 0xff) {
                return null;
            } else {
                out[n++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Lenient base64 for encoded words: missing padding is accepted, any other stray character is not. */
    private static byte[] base64(String s, int from, int to) {
        byte[] out = new byte[(to - from) * 3 / 4 + 3];
        int n = 0;
        int acc = 0;
        int bits = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '=') {
                break;
            }
            int v = base64Value(c);
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }
}
