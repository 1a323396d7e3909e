package dev.replyclock.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Logs in over plain HTTP as a browser does: fetches the form (its CSRF cookie and field), then posts it. */
public final class LoginForm {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

    private LoginForm() {
    }

    /** {@code POST /login} (redirects not followed): 302 with a session cookie, 401, or 429. */
    public static HttpResponse<String> post(HttpClient http, String base, String name, String password)
            throws IOException, InterruptedException {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = CSRF.matcher(form.body());
        if (!m.find()) {
            throw new IllegalStateException("no login form at " + base + "/login: " + form.statusCode() + " " + form.body());
        }
        String csrf = m.group(1);
        String body = "csrf=" + csrf + "&next=%2F&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "rc_login=" + csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a cookie the response sets, if it does. */
    public static Optional<String> cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .filter(v -> !v.isEmpty()).findFirst();
    }

    /** GET with a cookie, redirects not followed. */
    public static HttpResponse<String> get(HttpClient http, String url, String cookie) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
