package dev.replyclock.config;

import java.net.URI;
import java.net.URISyntaxException;

/** The one check for the URL-valued keys ({@code http.public_url}, webhook URLs). */
final class HttpUrls {

    private HttpUrls() {
    }

    /** An absolute {@code http} or {@code https} URL with a host. */
    static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
