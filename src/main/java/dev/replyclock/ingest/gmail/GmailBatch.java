package dev.replyclock.ingest.gmail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code multipart/mixed} body of a Google batch request (one {@code application/http} part per inner GET, named
 * by {@code Content-ID}) and the parts of its response, each an HTTP response of its own.
 */
final class GmailBatch {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS = Pattern.compile("HTTP/\\d(?:\\.\\d)?\\s+(\\d{3}).*");

    /** One inner response: its status, headers (lower-cased names) and body. */
    record Part(String contentId, int status, Map<String, String> headers, String body) {
    }

    private GmailBatch() {
    }

    /** The body for {@code paths} (absolute paths with query), the i-th part named {@code <item-i>}. */
    static String request(String boundary, List<String> paths) {
        StringBuilder b = new StringBuilder(paths.size() * 400);
        for (int i = 0; i < paths.size(); i++) {
            b.append("--").append(boundary).append("\r\n")
                    .append("Content-Type: application/http\r\n")
                    .append("Content-ID: <item-").append(i).append(">\r\n\r\n")
                    .append("GET ").append(paths.get(i)).append("\r\n\r\n");
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    /** The index i of a response part named {@code <response-item-i>} (or {@code <item-i>}), or -1. */
    static int index(String contentId) {
        if (contentId == null) {
            return -1;
        }
        String id = contentId.replace("<", "").replace(">", "").strip();
        int dash = id.lastIndexOf('-');
        try {
            return Integer.parseInt(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The parts of a batch response of {@code contentType} ({@code multipart/mixed; boundary=...}). */
    static List<Part> parse(String contentType, byte[] body) throws IOException {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !m.find()) {
            throw new IOException("the batch response is not multipart/mixed with a boundary (Content-Type "
                    + contentType + ")");
        }
        String delimiter = "--" + m.group(1);
        String text = new String(body, StandardCharsets.UTF_8);
        List<Part> parts = new ArrayList<>();
        int at = text.indexOf(delimiter);
        boolean closed = false;
        while (at >= 0) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                closed = true;
                break;
            }
            int next = text.indexOf(delimiter, start);
            if (next < 0) {
                break;
            }
            parts.add(part(text.substring(start, next)));
            at = next;
        }
        if (!closed) {
            throw new IOException("the batch response ends before its closing boundary (cut short)");
        }
        return parts;
    }

    /** One part: MIME headers, a blank line, then an HTTP response (status line, headers, blank line, body). */
    private static Part part(String raw) throws IOException {
        String s = raw.startsWith("\r\n") ? raw.substring(2) : raw.startsWith("\n") ? raw.substring(1) : raw;
        String[] outer = splitHead(s);
        String contentId = headers(outer[0]).get("content-id");
        String[] inner = splitHead(outer[1]);
        List<String> lines = inner[0].lines().toList();
        Matcher status = lines.isEmpty() ? null : STATUS.matcher(lines.get(0).strip());
        if (status == null || !status.matches()) {
            throw new IOException("a batch response part has no HTTP status line");
        }
        String body = inner[1];
        if (body.endsWith("\r\n")) {
            body = body.substring(0, body.length() - 2);
        }
        return new Part(contentId, Integer.parseInt(status.group(1)),
                headers(String.join("\n", lines.subList(1, lines.size()))), body);
    }

    private static String[] splitHead(String s) {
        int crlf = s.indexOf("\r\n\r\n");
        int lf = s.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf <= lf)) {
            return new String[] {s.substring(0, crlf), s.substring(crlf + 4)};
        }
        if (lf >= 0) {
            return new String[] {s.substring(0, lf), s.substring(lf + 2)};
        }
        return new String[] {s, ""};
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : block.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return h;
    }
}
