package dev.replyclock.ingest;

import com.google.api.client.http.HttpResponseException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Access tokens of a Google service account impersonating one Workspace user (domain-wide delegation): the
 * JWT-bearer flow against the key's {@code token_uri}, refreshed before expiry. Shared by the Gmail source and Gmail
 * IMAP XOAUTH2. A refusal becomes one error naming the client id and the scope to grant; the key never appears in
 * a message.
 */
public final class GoogleServiceAccount {

    private final String mailboxId;
    private final String user;
    private final String scope;
    private final String clientId;
    private final GoogleCredentials credentials;

    /**
     * @param keyJson a service account key (already checked by the configuration)
     * @param user    the mailbox impersonated ({@code sub})
     * @param scope   the full scope URL
     */
    public GoogleServiceAccount(String mailboxId, String keyJson, String user, String scope) throws IOException {
        this.mailboxId = mailboxId;
        this.user = user;
        this.scope = scope;
        ServiceAccountCredentials key;
        try {
            key = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // The library's message may quote the key's fields: name only what kind of failure it was.
            throw new IOException("mailbox " + mailboxId + ": the Google service account key cannot be used ("
                    + e.getClass().getSimpleName() + "); download a new JSON key of the service account");
        }
        this.clientId = key.getClientId();
        this.credentials = key.createScoped(List.of(scope)).createDelegated(user);
    }

    /** A current access token for {@code user} (cached until shortly before it expires). */
    public synchronized String accessToken() throws IOException {
        try {
            credentials.refreshIfExpired();
            AccessToken token = credentials.getAccessToken();
            if (token == null || token.getTokenValue() == null) {
                throw new IOException("mailbox " + mailboxId + ": Google's token endpoint returned no access token");
            }
            return token.getTokenValue();
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
    }

    /** A new access token, whatever the cached one's expiry (after the API refused it with 401). */
    public synchronized String refreshedToken() throws IOException {
        try {
            credentials.refresh();
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
        return accessToken();
    }

    public String clientId() {
        return clientId;
    }

    /** The OAuth error code of a token endpoint refusal, named with what to do about it. */
    private IOException refused(Exception e) {
        String text = oauthError(e);
        String grant = " In the Google Admin console (Security → API controls → Domain-wide delegation) the client id "
                + clientId + " needs the OAuth scope " + scope + ".";
        // Google answers unauthorized_client with 401, whose body the JDK's HttpURLConnection (under the auth
        // library) does not hand over in streaming mode: a 401 from the token endpoint means the same.
        if (text.contains("unauthorized_client") || status(e) == 401) {
            return new IOException("mailbox " + mailboxId + ": Google refused a token for " + user + " ("
                    + (text.contains("unauthorized_client") ? "unauthorized_client" : "HTTP 401")
                    + "): the service account is not authorized to impersonate users for " + scope + "." + grant, null);
        }
        if (text.contains("invalid_grant")) {
            return new IOException("mailbox " + mailboxId + ": Google refused a token for " + user
                    + " (invalid_grant): the user is not a member of the Workspace domain, the key was deleted or"
                    + " disabled, or this machine's clock is wrong." + grant, null);
        }
        if (text.contains("invalid_scope")) {
            return new IOException("mailbox " + mailboxId + ": Google refused the scope " + scope + " (invalid_scope)."
                    + grant, null);
        }
        String kind = e.getClass().getSimpleName();
        return new IOException("mailbox " + mailboxId + ": could not get a Google access token for " + user + " ("
                + kind + firstLine(e) + ")", null);
    }

    /** The token endpoint's HTTP status, or 0. */
    private static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpResponseException r) {
                return r.getStatusCode();
            }
        }
        return 0;
    }

    /** The messages and token endpoint response bodies along the cause chain, lower-cased, to find the OAuth error. */
    private static String oauthError(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 100_000; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getMessage()).append('\n');
            if (t instanceof HttpResponseException r && r.getContent() != null) {
                text.append(r.getContent()).append('\n');
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    /** The first line of the library's message (status and URL), never the rest (response bodies, request fields). */
    private static String firstLine(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "";
        }
        String line = m.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? ": " + line.substring(0, 200) : ": " + line;
    }
}
