package dev.replyclock.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The header fields of a raw message as the API fakes serve them: (name, value) pairs, unfolded, in order. */
public final class RawHeaders {

    private RawHeaders() {
    }

    /** Header lines of a raw message, unfolded, in order. */
    public static List<String[]> of(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        List<String[]> list = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !list.isEmpty()) {
                String[] last = list.get(list.size() - 1);
                last[1] = last[1] + " " + line.strip();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("From ")) {
                list.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
            }
        }
        return list;
    }

    /** The first value of {@code name} (any case), or null. */
    public static String first(List<String[]> headers, String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }
}
