package dev.replyclock.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of a real server (GreenMail, Dovecot), with plain sockets, that
 * misbehaves on demand: cuts the stream a chosen number of bytes into the server's answer to a chosen client
 * command (e.g. mid-FETCH), delays every chunk the server sends (a slow server), drops new connections as
 * soon as they are accepted, or drops every open one.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    private static final int CHUNK = 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger commandsSeen = new AtomicInteger();
    private volatile long latencyMillis;
    private volatile boolean refusing;
    private volatile boolean closed;
    /** The armed cut: the command text, which occurrence of it, and the server bytes let through after it. */
    private volatile String cutCommand;
    private volatile int cutOccurrence;
    private volatile long cutBytes;
    /** Server bytes still let through before the cut, or -1 when no cut is under way. */
    private final AtomicLong budget = new AtomicLong(-1);

    private FaultyTcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    public static FaultyTcpProxy to(int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultyTcpProxy proxy = new FaultyTcpProxy(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        Thread t = new Thread(proxy::acceptLoop, "faulty-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Arms a one-time cut: when the client has sent {@code command} for the {@code occurrence}-th time (counted
     * from now), the server's next {@code bytes} bytes pass and then the connection is closed both ways.
     */
    public void cutInAnswerTo(String command, int occurrence, long bytes) {
        commandsSeen.set(0);
        cutBytes = bytes;
        cutOccurrence = occurrence;
        cutCommand = command;
    }

    /** How many cuts happened. */
    public int cuts() {
        return cuts.get();
    }

    /** Delays every chunk (at most 1 KB) the server sends by this much; zero for none. */
    public void latency(Duration perChunk) {
        latencyMillis = perChunk.toMillis();
    }

    /** While on, new connections are accepted and reset at once, before the server's greeting. */
    public void refuseConnections(boolean on) {
        refusing = on;
    }

    /** Resets every open connection (a server crash or a network drop as the client sees it). */
    public void dropAll() {
        open.forEach(FaultyTcpProxy::reset);
        open.clear();
    }

    /** Connections accepted so far, refused ones included. */
    public int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        dropAll();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                if (refusing) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket();
                try {
                    server.connect(target, 5_000);
                } catch (IOException e) {
                    reset(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[CHUNK];
            StringBuilder recent = new StringBuilder();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (fromClient) {
                        watchCommands(recent, buf, n);
                        out.write(buf, 0, n);
                    } else if (!forwardFromServer(buf, n, out)) {
                        cuts.incrementAndGet();
                        reset(from);
                        reset(to);
                        return;
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away or the test dropped the connection
            } finally {
                reset(from);
                reset(to);
                open.remove(from);
                open.remove(to);
            }
        }, "faulty-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Arms the byte budget when the armed command goes by; the text kept spans chunk boundaries. */
    private void watchCommands(StringBuilder recent, byte[] buf, int n) {
        String command = cutCommand;
        if (command == null) {
            return;
        }
        recent.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        int at;
        while ((at = recent.indexOf(command)) >= 0) {
            recent.delete(0, at + command.length());
            if (commandsSeen.incrementAndGet() == cutOccurrence) {
                cutCommand = null;
                budget.set(cutBytes);
            }
        }
        if (recent.length() > command.length()) {
            recent.delete(0, recent.length() - command.length());
        }
    }

    /** Writes what the budget allows after the configured delay; false when the cut is due now. */
    private boolean forwardFromServer(byte[] buf, int n, OutputStream out) throws IOException, InterruptedException {
        long delay = latencyMillis;
        if (delay > 0) {
            Thread.sleep(delay);
        }
        long left = budget.get();
        if (left < 0) {
            out.write(buf, 0, n);
            return true;
        }
        int pass = (int) Math.min(n, left);
        out.write(buf, 0, pass);
        out.flush();
        budget.set(left - pass);
        if (left - pass > 0) {
            return true;
        }
        budget.set(-1);
        return false;
    }

    /** Closes with RST rather than FIN, as a crashed peer or a broken network would. */
    private static void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
