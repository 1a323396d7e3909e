package dev.replyclock.ingest.files;

import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Streams through an mbox file and hands out each message's header block, never a body. A message
 * starts at a line beginning with {@code From } that opens the file or follows an empty line (so a
 * {@code From } sentence inside a paragraph does not split a message). LF and CRLF line ends both work.
 */
final class MboxScanner {

    /** A header block: {@code bytes()[0, length())}, valid until the next call. */
    record Block(byte[] bytes, int length) {
    }

    private static final byte[] POSTMARK = {'F', 'r', 'o', 'm', ' '};

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean eof;

    private byte[] header = new byte[8192];
    private int headerLen;
    private boolean started;

    MboxScanner(InputStream in) {
        this.in = in;
    }

    /** Whether the stream starts with {@code From }; reads at most a buffer ahead. */
    boolean startsWithPostmark() throws IOException {
        while (lim < POSTMARK.length && fill()) {
            // keep filling until five bytes or end of file
        }
        if (lim < POSTMARK.length) {
            return false;
        }
        for (int k = 0; k < POSTMARK.length; k++) {
            if (buf[k] != POSTMARK[k]) {
                return false;
            }
        }
        return true;
    }

    /** For a file that is not an mbox: its header block (up to the first empty line). */
    byte[] headerBlockOfSingleMessage() throws IOException {
        return HeaderParser.readHeaderBlock(new InputStream() {
            @Override
            public int read() throws IOException {
                if (pos == lim && !fill()) {
                    return -1;
                }
                return buf[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == lim && !fill()) {
                    return -1;
                }
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        });
    }

    /** The next message's header block (without its postmark line), or null at the end of the file. */
    Block nextHeaderBlock() throws IOException {
        if (!started) {
            started = true;
            if (!skipLine()) { // the first postmark line
                return null;
            }
        } else if (!skipToNextPostmark()) {
            return null;
        }
        headerLen = 0;
        while (true) {
            int lineStart = headerLen;
            int lineLen = appendLine();
            if (lineLen < 0) {
                return new Block(header, headerLen); // end of file inside the header
            }
            int content = lineLen;
            if (content > 0 && header[lineStart + content - 1] == '\r') {
                content--;
            }
            if (content == 0) {
                headerLen = lineStart;
                return new Block(header, headerLen);
            }
        }
    }

    /**
     * Skips body lines until a postmark that follows an empty line (the empty line after the header
     * counts) and consumes that postmark line. False at end of file.
     */
    private boolean skipToNextPostmark() throws IOException {
        boolean previousEmpty = true; // the header ended with an empty line
        while (true) {
            if (pos == lim && !fill()) {
                return false;
            }
            if (previousEmpty && startsWithPostmarkAtPos()) {
                return skipLine();
            }
            // read one line, tracking whether it is empty
            int len = 0;
            boolean cr = false;
            while (true) {
                if (pos == lim && !fill()) {
                    return false;
                }
                int eol = indexOfNewline(pos, lim);
                if (eol < 0) {
                    len += lim - pos;
                    cr = buf[lim - 1] == '\r';
                    pos = lim;
                    continue;
                }
                len += eol - pos;
                if (eol > pos) {
                    cr = buf[eol - 1] == '\r';
                }
                pos = eol + 1;
                break;
            }
            previousEmpty = len == 0 || (len == 1 && cr);
        }
    }

    /** Whether the unread bytes start with a postmark (refilling as needed without losing bytes). */
    private boolean startsWithPostmarkAtPos() throws IOException {
        if (lim - pos < POSTMARK.length) {
            compact();
            while (lim - pos < POSTMARK.length && fill()) {
                // fill more
            }
            if (lim - pos < POSTMARK.length) {
                return false;
            }
        }
        for (int k = 0; k < POSTMARK.length; k++) {
            if (buf[pos + k] != POSTMARK[k]) {
                return false;
            }
        }
        return true;
    }

    /** Consumes one line; false when the stream had nothing left. */
    private boolean skipLine() throws IOException {
        boolean any = false;
        while (true) {
            if (pos == lim && !fill()) {
                return any;
            }
            any = true;
            int eol = indexOfNewline(pos, lim);
            if (eol >= 0) {
                pos = eol + 1;
                return true;
            }
            pos = lim;
        }
    }

    /** Appends one line (with its LF) to the header; returns its length without LF, -1 at end of file. */
    private int appendLine() throws IOException {
        int start = headerLen;
        boolean any = false;
        while (true) {
            if (pos == lim && !fill()) {
                return any ? headerLen - start : -1;
            }
            any = true;
            int eol = indexOfNewline(pos, lim);
            int stop = eol < 0 ? lim : eol;
            append(pos, stop);
            if (eol >= 0) {
                pos = eol + 1;
                int len = headerLen - start;
                append(eol, eol + 1);
                return len;
            }
            pos = lim;
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (headerLen + n > header.length) {
            if (header.length >= HeaderParser.MAX_HEADER_BYTES) {
                n = Math.max(0, header.length - headerLen); // an oversized header block is cut
            } else {
                header = Arrays.copyOf(header, Math.min(HeaderParser.MAX_HEADER_BYTES,
                        Math.max(header.length * 2, headerLen + n)));
                n = Math.min(n, header.length - headerLen);
            }
        }
        System.arraycopy(buf, from, header, headerLen, n);
        headerLen += n;
    }

    private int indexOfNewline(int from, int to) {
        for (int k = from; k < to; k++) {
            if (buf[k] == '\n') {
                return k;
            }
        }
        return -1;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
    }

    /** Reads more bytes after {@code lim}; false at end of file. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (lim == buf.length) {
            compact();
            if (lim == buf.length) {
                return true; // full; the caller consumes first
            }
        }
        int r = in.read(buf, lim, buf.length - lim);
        if (r < 0) {
            eof = true;
            return false;
        }
        lim += r;
        return true;
    }
}
