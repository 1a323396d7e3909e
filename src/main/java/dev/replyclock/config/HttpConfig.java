package dev.replyclock.config;

/** {@code http: {port: 9465, public_url: ...}}; {@code publicUrl} may be null. */
public record HttpConfig(int port, String publicUrl) {
}
