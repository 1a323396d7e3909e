package dev.replyclock.ingest.imap;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads IMAP responses as {@link ResponseInputStream} does (a line up to CRLF, and after a line ending in a literal's
 * {@code {n}} the n bytes and the rest of the response), from a buffer of its own. Angus Mail's reads the line byte by
 * byte through a synchronized {@code BufferedInputStream.read()}: a header fetch's response lines echo the 21 field
 * names, so that was some 300 locked calls per message and a third of the reading thread's CPU. Used by one thread at a
 * time, as a protocol's input is.
 */
final class ResponseReader extends ResponseInputStream {

    private static final int BUFFER = 64 * 1024;
    /** As Angus Mail grows a response's array: at most this much at a time for a line, and some slack for a literal. */
    private static final int MAX_LINE_INCREMENT = 256 * 1024;
    private static final int MIN_INCREMENT = 256;
    private static final int LITERAL_SLOP = 16;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;

    ResponseReader(InputStream in) {
        super(InputStream.nullInputStream()); // the superclass's own buffer is never used
        this.in = in;
    }

    @Override
    public ByteArray readResponse() throws IOException {
        return readResponse(null);
    }

    @Override
    public ByteArray readResponse(ByteArray into) throws IOException {
        ByteArray ba = into == null ? new ByteArray(new byte[128], 0, 128) : into;
        byte[] bytes = ba.getBytes();
        int length = 0;
        while (true) {
            // a line, CRLF included
            boolean lineEnded = false;
            while (!lineEnded) {
                if (position == limit && !fill()) {
                    throw new IOException("Connection dropped by server?");
                }
                int end = position;
                while (end < limit && buffer[end] != '\n') {
                    end++;
                }
                boolean sawLf = end < limit;
                if (sawLf) {
                    end++;
                }
                int n = end - position;
                if (length + n > bytes.length) {
                    ba.grow(Math.max(n, Math.min(bytes.length, MAX_LINE_INCREMENT)));
                    bytes = ba.getBytes();
                }
                System.arraycopy(buffer, position, bytes, length, n);
                length += n;
                position = end;
                // as Angus Mail: an LF ends the line only after a CR (a bare LF is part of it)
                lineEnded = sawLf && length >= 2 && bytes[length - 2] == '\r';
            }
            int count = literalLength(bytes, length);
            if (count < 0) {
                break;
            }
            if (count > 0) {
                int room = bytes.length - length;
                if (count + LITERAL_SLOP > room) {
                    ba.grow(Math.max(MIN_INCREMENT, count + LITERAL_SLOP - room));
                    bytes = ba.getBytes();
                }
                length = readFully(bytes, length, count);
            }
        }
        ba.setCount(length);
        return ba;
    }

    /** The n of a line ending in {@code {n}CRLF}, or -1 (as Angus Mail: no literal when the digits do not parse). */
    private static int literalLength(byte[] bytes, int length) {
        if (length < 5 || bytes[length - 3] != '}') {
            return -1;
        }
        int open = length - 4;
        while (open >= 0 && bytes[open] != '{') {
            open--;
        }
        if (open < 0 || open + 1 == length - 3) {
            return -1;
        }
        long n = 0;
        for (int i = open + 1; i < length - 3; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || (n = n * 10 + digit) > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) n;
    }

    private int readFully(byte[] bytes, int at, int count) throws IOException {
        int buffered = Math.min(count, limit - position);
        System.arraycopy(buffer, position, bytes, at, buffered);
        position += buffered;
        int done = buffered;
        while (done < count) {
            int n = in.read(bytes, at + done, count - done);
            if (n < 0) {
                throw new IOException("Connection dropped by server?");
            }
            done += n;
        }
        return at + count;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public int available() throws IOException {
        return limit - position + in.available();
    }
}
