package dev.replyclock.ingest.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import dev.replyclock.config.SourceConfig;

import java.io.IOException;

/** What a failed Graph request of one mailbox means, as an error naming mailbox, folder and cause (never a secret). */
final class GraphErrors {

    private final String mailboxId;
    private final SourceConfig.Graph config;

    GraphErrors(String mailboxId, SourceConfig.Graph config) {
        this.mailboxId = mailboxId;
        this.config = config;
    }

    /** 410 Gone, or a {@code syncStateNotFound} / {@code resyncRequired} error code in any case. */
    static boolean expiredDelta(ApiException e) {
        if (e.getResponseStatusCode() == 410) {
            return true;
        }
        String code = errorCode(e);
        return code != null && (code.equalsIgnoreCase("syncStateNotFound") || code.equalsIgnoreCase("resyncRequired"));
    }

    private static String errorCode(ApiException e) {
        if (e instanceof ODataError o && o.getError() != null) {
            return o.getError().getCode();
        }
        return null;
    }

    /**
     * Runs a request whose response body is read here; a connection failing, a body cut short or closed mid-body,
     * or JSON that does not parse becomes an error naming mailbox, folder and what was being read. Nothing of that
     * response was handed over, so the next poll asks for it again from the stored cursor. HTTP errors pass through.
     */
    <T> T readable(String folder, String what, GraphRetry.Request<T> call) throws IOException {
        try {
            return call.send();
        } catch (ApiException e) {
            if (e.getResponseStatusCode() > 0) {
                throw e;
            }
            throw unreadable(folder, what, e);
        } catch (RuntimeException e) {
            throw unreadable(folder, what, e);
        }
    }

    private IOException unreadable(String folder, String what, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        String detail = root.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
        return new IOException("mailbox " + mailboxId + " folder " + folder + ": could not read " + what
                + " from Microsoft Graph (" + detail + "); nothing of it was stored, the next poll asks for it again", e);
    }

    /** A refused request (401, 403) names the permission to grant; any other names the status and Graph's code. */
    IOException failure(ApiException e, String folder) {
        int status = e.getResponseStatusCode();
        String code = errorCode(e);
        String what = "HTTP " + status + (code == null ? "" : " " + code);
        if (status == 401 || status == 403) {
            return new IOException("mailbox " + mailboxId + ": Microsoft Graph refused to read folder " + folder + " of "
                    + config.user() + " (" + what + "): the app registration (client id " + config.clientId()
                    + ", tenant " + config.tenant() + ") needs the application permission Mail.Read with admin consent,"
                    + " and access to this mailbox (RBAC for Applications, see README)", e);
        }
        return new IOException("mailbox " + mailboxId + " folder " + folder + ": Microsoft Graph request failed ("
                + what + ")" + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()), e);
    }
}
