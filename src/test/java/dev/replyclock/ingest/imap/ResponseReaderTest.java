package dev.replyclock.ingest.imap;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buffered reader cuts a stream into the same responses as Angus Mail's own. */
class ResponseReaderTest {

    @Test
    void cutsRandomStreamsIntoTheSameResponsesAsAngusMail() throws IOException {
        for (int seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            byte[] stream = randomResponses(random);
            List<byte[]> expected = responses(new ResponseInputStream(new ByteArrayInputStream(stream)), stream.length);
            // the socket hands over pieces of any size: CRLF, literal markers and literals split at every place
            List<byte[]> actual = responses(new ResponseReader(new Trickle(stream, random)), stream.length);
            assertEquals(expected.size(), actual.size(), "seed " + seed);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "seed " + seed + ", response " + i);
            }
            assertTrue(expected.size() > 20, "seed " + seed);
        }
    }

    @Test
    void thisAngusMailLetsTheConnectionsReadThroughIt() {
        // if a later Angus Mail renames its private input stream, connections fall back to its slower reading: say so
        assertTrue(BufferedImapStore.readsBuffered());
    }

    @Test
    void aResponseBufferIsReusedAndGrown() throws IOException {
        String literal = "x".repeat(200_000);
        byte[] stream = ("* 1 FETCH (UID 7 BODY[] {" + literal.length() + "}\r\n" + literal + ")\r\n"
                + "A1 OK done\r\n").getBytes(StandardCharsets.US_ASCII);
        ResponseReader reader = new ResponseReader(new Trickle(stream, new Random(3)));
        ByteArray small = new ByteArray(new byte[16], 0, 16);
        ByteArray first = reader.readResponse(small);
        assertEquals("* 1 FETCH (UID 7 BODY[] {200000}\r\n" + literal + ")\r\n", text(first));
        ByteArray second = reader.readResponse(first);
        assertEquals("A1 OK done\r\n", text(second));
    }

    @Test
    void aConnectionThatEndsMidResponseIsAnError() {
        byte[] cut = "* 1 FETCH (UID 7 BODY[] {10}\r\nabc".getBytes(StandardCharsets.US_ASCII);
        IOException e = assertThrows(IOException.class, () -> new ResponseReader(new ByteArrayInputStream(cut)).readResponse());
        assertEquals("Connection dropped by server?", e.getMessage());
        byte[] noLineEnd = "* OK still talking".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IOException.class, () -> new ResponseReader(new ByteArrayInputStream(noLineEnd)).readResponse());
    }

    private static String text(ByteArray ba) {
        return new String(ba.getBytes(), ba.getStart(), ba.getCount(), StandardCharsets.ISO_8859_1);
    }

    /** Reads responses until the stream is used up, each copied out of the (reused) response buffer. */
    private static List<byte[]> responses(ResponseInputStream in, int streamLength) throws IOException {
        List<byte[]> out = new ArrayList<>();
        ByteArray ba = null;
        int consumed = 0;
        while (consumed < streamLength) {
            ba = in.readResponse(ba);
            out.add(Arrays.copyOfRange(ba.getBytes(), ba.getStart(), ba.getStart() + ba.getCount()));
            consumed += ba.getCount();
        }
        return out;
    }

    /** Responses of the shapes a server sends, with the odd ones the reader must treat as Angus Mail does. */
    private static byte[] randomResponses(Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 30 + random.nextInt(60);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(8)) {
                case 0 -> out.write(ascii("* " + i + " EXISTS\r\n"));
                case 1 -> out.write(ascii("A" + i + " OK UID FETCH completed\r\n"));
                case 2 -> { // a bare LF inside a line does not end it
                    out.write(ascii("* OK odd\nline " + i + "\r\n"));
                }
                case 3 -> { // two literals in one response, one empty
                    out.write(ascii("* " + i + " FETCH (BODY[HEADER] {0}\r\n BODY[TEXT] {"));
                    byte[] body = randomBytes(random, random.nextInt(3000));
                    out.write(ascii(body.length + "}\r\n"));
                    out.write(body);
                    out.write(ascii(")\r\n"));
                }
                case 4 -> out.write(ascii("* OK [ALERT] braces {not a number}\r\n"));
                case 5 -> out.write(ascii("* OK a long line " + "y".repeat(random.nextInt(150_000)) + "\r\n"));
                default -> { // a header fetch as Replyclock asks for it
                    byte[] header = randomBytes(random, 200 + random.nextInt(1500));
                    out.write(ascii("* " + i + " FETCH (UID " + (1000 + i) + " INTERNALDATE \"07-Dec-2026 03:12:15 +0000\" "
                            + "BODY[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT FROM TO CC DATE)] {"
                            + header.length + "}\r\n"));
                    out.write(header);
                    out.write(ascii(")\r\n"));
                }
            }
        }
        return out.toByteArray();
    }

    /** Any bytes, CR, LF and braces among them (a literal may hold anything). */
    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        byte[] awkward = ascii("\r\n{}0");
        for (int i = 0; i < length; i++) {
            b[i] = random.nextInt(10) == 0 ? awkward[random.nextInt(awkward.length)] : (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands the bytes over in pieces of random size, as a socket may. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        Trickle(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - position), 1 + random.nextInt(random.nextBoolean() ? 7 : 9000));
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
