package dev.replyclock.ingest.imap;

import jakarta.mail.MessagingException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads the windows of a folder on a thread of their own while the poll stores earlier ones: the server
 * sends the next window while this side works instead of waiting for the next command. A few windows ahead at most
 * (what an analysis of the store holds up); only the reading thread uses the connection until {@link #close} returns.
 *
 * @param <T> what one window's read yields (its messages, parsed)
 */
final class ReadAhead<T> implements AutoCloseable {

    /** Reads one window of UIDs {@code a..b}. */
    interface Read<T> {
        T read(long a, long b) throws MessagingException;
    }

    /** One window read, or the failure that ended the reading. */
    record Window<T>(long a, long b, T read, MessagingException failure, RuntimeException bug) {
    }

    private static final Window<?> END = new Window<>(Long.MIN_VALUE, Long.MIN_VALUE, null, null, null);

    private final BlockingQueue<Window<T>> ready;
    private final Future<?> reading;
    private volatile boolean stopped;

    /**
     * Starts reading windows of {@code size} UIDs from {@code from} to {@code last}; when {@code atLeastOne}, one window
     * even if the range is empty (its read is skipped: {@code read} is null).
     */
    ReadAhead(ExecutorService thread, long from, long last, int size, boolean atLeastOne, int windowsAhead, Read<T> read) {
        this.ready = new ArrayBlockingQueue<>(windowsAhead);
        this.reading = thread.submit(() -> {
            boolean first = true;
            for (long a = from; (a <= last || (atLeastOne && first)) && !stopped; a += size) {
                first = false;
                long b = Math.min(last, a + size - 1);
                Window<T> window;
                try {
                    window = new Window<>(a, b, a <= b ? read.read(a, b) : null, null, null);
                } catch (MessagingException e) {
                    window = new Window<>(a, b, null, e, null);
                } catch (RuntimeException e) {
                    window = new Window<>(a, b, null, null, e);
                }
                if (!put(window) || window.failure() != null || window.bug() != null) {
                    return;
                }
            }
            put(end());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> Window<T> end() {
        return (Window<T>) END;
    }

    private boolean put(Window<T> window) {
        try {
            while (!stopped) {
                if (ready.offer(window, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The next window in UID order, or null after the last; a failed read is thrown here, in the caller's thread. */
    Window<T> next() throws MessagingException {
        while (true) {
            Window<T> window;
            try {
                window = ready.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MessagingException("interrupted while reading ahead", e);
            }
            if (window == END) {
                return null;
            }
            if (window != null) {
                if (window.failure() != null) {
                    throw window.failure();
                }
                if (window.bug() != null) {
                    throw window.bug();
                }
                return window;
            }
            if (reading.isDone() && ready.isEmpty()) {
                rethrowCrash();
                return null;
            }
        }
    }

    private void rethrowCrash() {
        try {
            reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading ahead failed", e.getCause());
        }
    }

    /** One daemon thread that reads ahead for a source, and ends after a minute without a poll. */
    static java.util.concurrent.ThreadPoolExecutor thread(String name) {
        java.util.concurrent.ThreadPoolExecutor executor = new java.util.concurrent.ThreadPoolExecutor(1, 1, 60,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Stops reading and waits until the window being read (if any) is done, so that the connection is free. */
    @Override
    public void close() {
        stopped = true;
        ready.clear();
        try {
            reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the failure that stopped the poll is the one reported
        }
    }
}
