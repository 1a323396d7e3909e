package dev.replyclock.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Turns a real message into hostile input the way broken mailers, hostile senders and damaged files do: flipped
 * bytes, cuts mid-header, repeated and huge headers, 10,000-id References, broken encoded words, NUL and non-UTF-8
 * bytes, CR-only and mixed line ends, no blank line, absurd dates and zones, malformed addresses, empty files and
 * binary garbage. Each mutation is named, so a failure says what was done.
 */
public final class MailMutator {

    /** One named way of breaking a message; heavy ones (megabytes) are drawn less often. */
    private record Mutation(String name, int weight, BiFunction<byte[], Random, byte[]> apply) {
    }

    /** A mutated message and the mutations that made it. */
    public record Mutant(byte[] bytes, List<String> mutations) {
    }

    private static final String[] DATES = {
        "Mon, 1 Jan 99999 00:00:00 +0000", "Tue, 27 Feb 2024 08:15:00 -9999", "Tue, 27 Feb 2024 08:15:00 +2400",
        "27 Feb 2024 25:61:61 +0000", "Fri, 31 Feb 2024 10:00:00 +0000", "Sat, 1 Jan 0000 00:00:00 +0000",
        "Sun, 1 Jan -5 00:00:00 +0000", "99999999999999999999", "-1", "Thu, 01 Jan 1970 00:00:00 +0000",
        "Mon, 32 Dec 9999 23:59:60 +1400", "Tue, 27 Feb 24 08:15 GMT+99", "Tue, 27 Feb 2024 08:15:00 -0000",
        "Tue, 27 Feb 2024 08:15:00 +99999999999", "Wed, 31 Dec 999999999 23:59:59 -1200", "", "Tue,,, 27 27 27",
        "Tue, 27 Feb 2024 08:15:00 (((((unclosed comment", "Tue, 27 Feb 2024 08:15:00 +0000 (UTC)) extra",
        "2024-02-27T08:15:00Z", "Tue, 27 Feb 2024 08:15:00 " + "+0100 ".repeat(2000), "Feb 2024",
        "Tue, 27 Feb -2147483648 08:15:00 +0000", "Tue, 27 Feb 2147483648 08:15:00 +0000",
    };

    private static final String[] ENCODED_WORDS = {
        "=?utf-8?B?", "=?utf-8?B?####?=", "=?utf-8?Q?=ZZ=?=", "=?x-unknown?B?SGVsbG8=?=", "=??B?QQ==?=",
        "=?utf-8*en?B?QQ==?=", "=?utf-8?B?PT91dGYtOD9CP1FRPT0/PQ==?=", "=?utf-8?X?abc?=", "=?utf-8?B?/w==?=",
        "=?iso-8859-1?Q?caf=E9_=?=", "=?utf-8?b?" + "QUFB".repeat(5000) + "?=", "=?=?=?=?=?", "=?utf-8?Q??=",
        "=?UTF-16?B?2D3YPQ==?=", "=?utf-8?B?" + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, 0x28}) + "?=",
    };

    private static final String[] ADDRESSES = {
        "<<<a@b.example>>>", "\"unterminated <x@y.example>", "a@b@c", "@", "<>", "undisclosed-recipients:;",
        "(((( comment", "\"\\\" <q@x.example>", "=?utf-8?B?####?= <e@x.example>", "x@[300.1.1.1]", ",,,,",
        "<" + "a".repeat(70_000) + "@x.example>", "group: a@x.example, (c) <b@x.example>;, c@x.example",
    };

    private final List<Mutation> mutations = List.of(
            new Mutation("flip bytes", 4, MailMutator::flipBytes),
            new Mutation("truncate", 3, (m, r) -> java.util.Arrays.copyOf(m, m.length == 0 ? 0 : r.nextInt(m.length))),
            new Mutation("truncate mid-header", 3, MailMutator::truncateInHeader),
            new Mutation("duplicate a header", 3, MailMutator::duplicateHeader),
            new Mutation("huge header", 1, (m, r) -> prepend(m, "X-Huge: " + "y".repeat(100_000 + r.nextInt(1_200_000)))),
            new Mutation("huge line", 1, (m, r) -> prepend(m, "Subject: " + "z".repeat(50_000 + r.nextInt(300_000)))),
            new Mutation("10k-id References", 1, MailMutator::manyReferences),
            new Mutation("broken encoded word", 3, (m, r) -> prepend(m, (r.nextBoolean() ? "Subject: " : "From: ")
                    + pick(ENCODED_WORDS, r) + " " + pick(ENCODED_WORDS, r) + " <s@x.example>")),
            new Mutation("NUL and non-UTF-8 bytes", 3, MailMutator::badBytes),
            new Mutation("CR-only newlines", 2, (m, r) -> replaceNewlines(m, r, true)),
            new Mutation("mixed newlines", 2, (m, r) -> replaceNewlines(m, r, false)),
            new Mutation("no blank line", 2, MailMutator::removeBlankLine),
            new Mutation("absurd date", 3, (m, r) -> prepend(m, (r.nextInt(4) == 0 ? "Received: from x by y; " : "Date: ")
                    + pick(DATES, r))),
            new Mutation("malformed address", 3, (m, r) -> prepend(m,
                    new String[] {"From: ", "To: ", "Cc: ", "Reply-To: ", "Sender: "}[r.nextInt(5)] + pick(ADDRESSES, r))),
            new Mutation("many addresses", 1, (m, r) -> prepend(m, "To: " + "r@x.example, ".repeat(5_000 + r.nextInt(5_000)))),
            new Mutation("odd ids", 2, (m, r) -> prepend(m, new String[] {"Message-ID: <>", "Message-ID: <<>>",
                "Message-ID:  ", "In-Reply-To: <" + "i".repeat(100_000) + "@x>", "In-Reply-To: <a@b> <<c@d>", "Message-ID: <a\u0000b@x>",
                "References: <unclosed@x", "Thread-Index: ###", "Thread-Index: QQ==", "Thread-Index: " + "QUFB".repeat(10_000)}[r.nextInt(10)])),
            new Mutation("odd header lines", 2, (m, r) -> prepend(m, new String[] {" folded first line", ":", ": empty name",
                "NoColonHere", "Subject", "\t\t", "From:", "X-Replyclock-Rep: " + "\u0000".repeat(10), "Content-Type: multipart/;;;;"}[r.nextInt(9)])),
            new Mutation("empty file", 1, (m, r) -> new byte[0]),
            new Mutation("binary garbage", 1, (m, r) -> {
                byte[] g = new byte[r.nextInt(4096)];
                r.nextBytes(g);
                return g;
            }));
    private final int totalWeight = mutations.stream().mapToInt(Mutation::weight).sum();

    /** One to three mutations of {@code original}, drawn from {@code random}. */
    public Mutant mutate(byte[] original, Random random) {
        byte[] bytes = original;
        List<String> names = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            Mutation m = draw(random);
            bytes = m.apply().apply(bytes, random);
            names.add(m.name());
        }
        return new Mutant(bytes, names);
    }

    private Mutation draw(Random random) {
        int x = random.nextInt(totalWeight);
        for (Mutation m : mutations) {
            x -= m.weight();
            if (x < 0) {
                return m;
            }
        }
        throw new IllegalStateException("weights");
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] prepend(byte[] message, String headerLine) {
        byte[] line = (headerLine + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[line.length + message.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(message, 0, out, line.length, message.length);
        return out;
    }

    private static byte[] flipBytes(byte[] m, Random r) {
        byte[] out = m.clone();
        for (int k = 1 + r.nextInt(20); k > 0 && out.length > 0; k--) {
            out[r.nextInt(out.length)] = (byte) r.nextInt(256);
        }
        return out;
    }

    /** The offset of the blank line that ends the header block, or the length when there is none. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 1 < m.length; i++) {
            if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return m.length;
    }

    private static byte[] truncateInHeader(byte[] m, Random r) {
        int end = headerEnd(m);
        return java.util.Arrays.copyOf(m, end == 0 ? 0 : r.nextInt(end));
    }

    private static byte[] removeBlankLine(byte[] m, Random r) {
        int end = headerEnd(m);
        if (end >= m.length) {
            return m;
        }
        int skip = m[end] == '\r' ? 2 : 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length);
        out.write(m, 0, end);
        out.write(m, end + skip, m.length - end - skip);
        return out.toByteArray();
    }

    private static byte[] duplicateHeader(byte[] m, Random r) {
        String text = new String(m, StandardCharsets.ISO_8859_1);
        int end = headerEnd(m);
        String[] lines = text.substring(0, end).split("\n", -1);
        if (lines.length < 2) {
            return m;
        }
        String line = lines[r.nextInt(lines.length - 1)];
        String copies = (line + "\n").repeat(1 + r.nextInt(r.nextBoolean() ? 3 : 200));
        return (copies + text).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] manyReferences(byte[] m, Random r) {
        StringBuilder refs = new StringBuilder(r.nextBoolean() ? "References:" : "In-Reply-To:");
        for (int i = 0; i < 10_000; i++) {
            refs.append(i % 7 == 0 ? "\r\n " : " ").append('<').append(i).append('.').append(r.nextInt(1000))
                    .append("@refs.example>");
        }
        return prepend(m, refs.toString());
    }

    private static byte[] badBytes(byte[] m, Random r) {
        byte[][] bad = {{0}, {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xfe, (byte) 0xff}};
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length + 64);
        int end = Math.max(1, headerEnd(m));
        int cuts = 1 + r.nextInt(10);
        int from = 0;
        for (int k = 0; k < cuts; k++) {
            int at = Math.min(m.length, from + r.nextInt(Math.max(1, end / cuts)));
            out.write(m, from, at - from);
            byte[] b = bad[r.nextInt(bad.length)];
            out.write(b, 0, b.length);
            from = at;
        }
        out.write(m, from, m.length - from);
        return out.toByteArray();
    }

    private static byte[] replaceNewlines(byte[] m, Random r, boolean crOnly) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length + 64);
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n') {
                continue; // the \n that follows decides
            }
            if (m[i] != '\n') {
                out.write(m[i]);
            } else if (crOnly) {
                out.write('\r');
            } else {
                switch (r.nextInt(3)) {
                    case 0 -> out.write('\r');
                    case 1 -> out.write('\n');
                    default -> out.writeBytes(new byte[] {'\r', '\n'});
                }
            }
        }
        return out.toByteArray();
    }
}
