package dev.replyclock.config;


/**
 * {@code http: {port: 9465, public_url: ..., management_port: ...}}; {@code publicUrl} may be null;
 * {@code managementPort} (health, readiness, metrics on their own port) is null when they share {@code port}.
 */
public record HttpConfig(int port, String publicUrl, Integer managementPort) {

    public HttpConfig(int port, String publicUrl) {
        this(port, publicUrl, null);
    }

    public static final int DEFAULT_PORT = 9465;

    /** Reads {@code http} (null when absent): port 1..65535, public_url an absolute http(s) URL. */
    static HttpConfig from(YamlNode node) {
        if (node == null) {
            return new HttpConfig(DEFAULT_PORT, null);
        }
        YamlMap map = node.asMap();
        Integer port = map.integerInRange("port", DEFAULT_PORT, 1, 65535);
        YamlNode urlNode = map.get("public_url");
        String publicUrl = urlNode == null ? null : urlNode.asString();
        if (publicUrl != null && !HttpUrls.isHttpUrl(publicUrl)) {
            urlNode.error("expected an http or https URL, got '" + publicUrl + "'");
        }
        Integer managementPort = map.integerInRange("management_port", null, 1, 65535);
        if (managementPort != null && managementPort.equals(port == null ? DEFAULT_PORT : port)) {
            map.get("management_port").error("must differ from port");
        }
        map.finish();
        return new HttpConfig(port == null ? DEFAULT_PORT : port, publicUrl, managementPort);
    }
}
