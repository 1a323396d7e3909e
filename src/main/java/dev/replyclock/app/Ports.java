package dev.replyclock.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks the ports a command will listen on before it touches anything else (the store file). */
final class Ports {

    private Ports() {
    }

    /** @param key the setting that chose the port, named in the error ({@code http.port}, {@code --port}) */
    static void requireFree(String host, int port, String key) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the HTTP server binds: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.CANNOT_START, key + ": port " + port + " on " + host
                    + " is already in use (" + e.getMessage() + "); stop what listens there or set another " + key);
        }
    }
}
