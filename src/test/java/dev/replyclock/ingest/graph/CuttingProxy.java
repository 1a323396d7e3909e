package dev.replyclock.ingest.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A TCP proxy on a loopback port in front of a local server that drops a connection where the server wrote
 * {@link #CUT}: the client receives what came before it and then sees the connection closed, mid-body. The JDK
 * HTTP server used by the fakes cannot close a connection before the announced Content-Length by itself.
 */
final class CuttingProxy implements AutoCloseable {

    /** Written by the server where the connection is to end; never reaches the client. */
    static final byte[] CUT = "\u0000<<cut the connection here>>\u0000".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int targetPort;

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("cutting-proxy-accept", this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true); // relayed small writes must not wait for delayed ACKs
                server.setTcpNoDelay(true);
                daemon("cutting-proxy-up", () -> copyUp(client, server));
                daemon("cutting-proxy-down", () -> copyDown(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void copyUp(Socket client, Socket server) {
        try (InputStream in = client.getInputStream()) {
            in.transferTo(server.getOutputStream());
        } catch (IOException ignored) {
            // either side went away: the other copy closes its end
        }
        closeBoth(client, server);
    }

    /**
     * Server to client. A tail that could be the beginning of {@link #CUT} is held back until the next bytes say
     * whether it is; everything else is forwarded at once (responses must not wait for the next one).
     */
    private static void copyDown(Socket server, Socket client) {
        try (InputStream in = server.getInputStream()) {
            OutputStream out = client.getOutputStream();
            byte[] pending = new byte[0];
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                byte[] bytes = Arrays.copyOf(pending, pending.length + n);
                System.arraycopy(buf, 0, bytes, pending.length, n);
                int cut = indexOf(bytes, CUT);
                if (cut >= 0) {
                    out.write(bytes, 0, cut);
                    out.flush();
                    break;
                }
                int held = heldBack(bytes);
                out.write(bytes, 0, bytes.length - held);
                out.flush();
                pending = Arrays.copyOfRange(bytes, bytes.length - held, bytes.length);
            }
        } catch (IOException ignored) {
            // either side went away
        }
        closeBoth(client, server);
    }

    /** The length of the longest end of {@code bytes} that is a beginning of {@link #CUT}. */
    private static int heldBack(byte[] bytes) {
        for (int k = Math.min(CUT.length - 1, bytes.length); k > 0; k--) {
            if (Arrays.equals(bytes, bytes.length - k, bytes.length, CUT, 0, k)) {
                return k;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
