package dev.replyclock.ingest.files;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MailSource;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.UnreadableMessageException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code files} source (SPEC section 13 "Files"): each path is a maildir (has {@code cur} or
 * {@code new}; the files of both sorted together by name; Maildir++ subfolders and {@code tmp} are
 * not read), a folder of one-message files (every regular file, not recursive, sorted by name) or a
 * file (an mbox when it starts with {@code From }, else one message).
 *
 * <p>Only header bytes are kept: a one-message file is read up to its first empty line, an mbox is
 * streamed through and only each message's header block is kept. A file of a folder or maildir is
 * always one message, also when it starts with an mbox {@code From } line (the line is skipped).
 *
 * <p>Counting: {@link MessageSink#fileRead()} once per file (an mbox once, an unopenable file too);
 * {@link MessageSink#unreadable} once per file with no readable message. A path that does not exist
 * is reported as {@code unreadable(path, "no such file or folder")} and counts no file. Unreadable
 * messages inside an mbox that also holds readable ones are skipped without a report (the counts are
 * per file).
 */
public final class FilesSource implements MailSource {

    /** Files per task when reading a folder on several cores. */
    private static final int CHUNK = 128;

    /**
     * Most header blocks fit in a few KiB: each reading thread reads them into its own buffer, so a big
     * maildir does not allocate (and collect) one buffer per file.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final String mailboxId;
    private final List<Path> paths;
    private final HeaderParser parser;

    public FilesSource(String mailboxId, List<Path> paths, HeaderParser parser) {
        this.mailboxId = mailboxId;
        this.paths = List.copyOf(paths);
        this.parser = parser;
    }

    @Override
    public void readAll(MessageSink sink) throws IOException {
        for (Path path : paths) {
            readPath(path, sink);
        }
    }

    private void readPath(Path path, MessageSink sink) {
        Place place = new Place(mailboxId, folderName(path), folderName(path).equalsIgnoreCase("inbox"));
        if (Files.isDirectory(path)) {
            List<Path> files = new ArrayList<>();
            boolean maildir = Files.isDirectory(path.resolve("cur")) || Files.isDirectory(path.resolve("new"));
            try {
                if (maildir) {
                    listFiles(path.resolve("cur"), files);
                    listFiles(path.resolve("new"), files);
                } else {
                    listFiles(path, files);
                }
            } catch (IOException | RuntimeException e) {
                sink.unreadable(path.toString(), "cannot list folder: " + e);
                return;
            }
            List<Named> named = new ArrayList<>(files.size());
            for (Path file : files) {
                named.add(new Named(file.getFileName().toString(), file));
            }
            named.sort(Comparator.comparing(Named::name)); // stable: cur/ before new/ on equal names
            readMessageFiles(named, place, sink);
        } else if (Files.exists(path)) {
            readFile(path, place, sink);
        } else {
            sink.unreadable(path.toString(), "no such file or folder");
        }
    }

    private record Named(String name, Path path) {
    }

    private static void listFiles(Path dir, List<Path> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // Every entry: whether it is a regular file is asked when it is read, on the reading threads,
        // because one stat per file on this thread was a good part of listing a big maildir.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                into.add(entry);
            }
        }
    }

    /** Last path component without {@code .mbox}/{@code .mbx} (any case). */
    static String folderName(Path path) {
        Path last = path.toAbsolutePath().normalize().getFileName();
        String name = last == null ? path.toString() : last.toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mbox") && name.length() > 5) {
            return name.substring(0, name.length() - 5);
        }
        if (lower.endsWith(".mbx") && name.length() > 4) {
            return name.substring(0, name.length() - 4);
        }
        return name;
    }

    /**
     * Reads one-message files: in chunks on every core (header parsing is most of the work), delivered to
     * the sink strictly in file order, so the first copy read is still the one that supplies the headers.
     */
    private void readMessageFiles(List<Named> files, Place place, MessageSink sink) {
        int threads = Runtime.getRuntime().availableProcessors();
        if (threads < 2 || files.size() < 2 * CHUNK) {
            files.forEach(file -> readOneMessageFile(file.path(), place).deliverTo(sink));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "replyclock-files");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<List<FileOutcome>>> inFlight = new ArrayDeque<>();
            int next = 0;
            while (next < files.size() || !inFlight.isEmpty()) {
                while (next < files.size() && inFlight.size() < 2 * threads) {
                    List<Named> chunk = files.subList(next, Math.min(files.size(), next + CHUNK));
                    inFlight.add(pool.submit(() -> chunk.stream().map(f -> readOneMessageFile(f.path(), place)).toList()));
                    next += chunk.size();
                }
                for (FileOutcome outcome : inFlight.poll().get()) {
                    outcome.deliverTo(sink);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + place.folder(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading " + place.folder() + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one file held: a message, or why it held none; {@link #NOT_A_FILE} for a folder entry that is no file. */
    private record FileOutcome(MailMessage message, String where, String reason) {
        static final FileOutcome NOT_A_FILE = new FileOutcome(null, null, null);

        void deliverTo(MessageSink sink) {
            if (this == NOT_A_FILE) {
                return;
            }
            sink.fileRead();
            if (message != null) {
                sink.message(message);
            } else {
                sink.unreadable(where, reason);
            }
        }
    }

    private FileOutcome readOneMessageFile(Path file, Place place) {
        if (!Files.isRegularFile(file)) {
            return FileOutcome.NOT_A_FILE;
        }
        byte[] block = SCRATCH.get();
        int length;
        try (InputStream in = new FileInputStream(file.toFile())) {
            length = headerBlockWithin(in, block);
        } catch (IOException | RuntimeException e) {
            return new FileOutcome(null, file.toString(), "cannot read: " + e);
        }
        if (length < 0) { // a header block longer than the scratch buffer: read again, the general way
            try (InputStream in = new FileInputStream(file.toFile())) {
                block = HeaderParser.readHeaderBlock(in);
                length = block.length;
            } catch (IOException | RuntimeException e) {
                return new FileOutcome(null, file.toString(), "cannot read: " + e);
            }
        }
        try {
            return new FileOutcome(parser.parse(block, 0, length, place, null), null, null);
        } catch (UnreadableMessageException e) {
            return new FileOutcome(null, file.toString(), e.reason());
        }
    }

    /**
     * Reads {@code in} into {@code buf} until the empty line that ends the header block (LF or CRLF) or the
     * end of the file: the length of the block then, or -1 when the buffer filled up first.
     */
    private static int headerBlockWithin(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        int lineStart = 0;
        for (int scan = 0; n < buf.length; ) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return n;
            }
            n += r;
            for (; scan < n; scan++) {
                if (buf[scan] == '\n') {
                    int contentEnd = scan > lineStart && buf[scan - 1] == '\r' ? scan - 1 : scan;
                    if (contentEnd == lineStart) {
                        return lineStart;
                    }
                    lineStart = scan + 1;
                }
            }
        }
        return -1;
    }

    private void readFile(Path file, Place place, MessageSink sink) {
        sink.fileRead();
        try (InputStream in = Files.newInputStream(file)) {
            MboxScanner scanner = new MboxScanner(in);
            if (!scanner.startsWithPostmark()) {
                byte[] block = scanner.headerBlockOfSingleMessage();
                deliver(block, 0, block.length, file, place, sink);
                return;
            }
            int readable = 0;
            int messages = 0;
            String lastReason = "empty mbox";
            MboxScanner.Block header;
            while ((header = scanner.nextHeaderBlock()) != null) {
                messages++;
                try {
                    sink.message(parser.parse(header.bytes(), 0, header.length(), place, null));
                    readable++;
                } catch (UnreadableMessageException e) {
                    lastReason = e.reason();
                }
            }
            if (readable == 0) {
                sink.unreadable(file.toString(), messages == 0 ? lastReason
                        : "mbox with no readable message (" + messages + " read; " + lastReason + ")");
            }
        } catch (IOException | RuntimeException e) {
            sink.unreadable(file.toString(), "cannot read: " + e);
        }
    }

    private void deliver(byte[] block, int off, int len, Path file, Place place, MessageSink sink) {
        MailMessage message;
        try {
            message = parser.parse(block, off, len, place, null);
        } catch (UnreadableMessageException e) {
            sink.unreadable(file.toString(), e.reason());
            return;
        }
        sink.message(message);
    }
}
