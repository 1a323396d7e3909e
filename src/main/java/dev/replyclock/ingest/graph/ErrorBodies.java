package dev.replyclock.ingest.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;

/**
 * Error responses whose body is not a JSON object (a gateway's HTML 502 page, an error body cut short) lose their
 * body before the SDK sees them. The SDK parses every error body as a Graph error and would fail on such a body
 * with a JSON exception that hides the HTTP status: then a 502 is not retried and the error names no status.
 * Without a body the SDK reports the status (and retries it where it should).
 */
final class ErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph error bodies are small; a larger one is not read for the check and is dropped. */
    private static final long MAX_CHECKED = 64 * 1024;

    private ErrorBodies() {
    }

    static Response readableOrNone(Response response) throws IOException {
        ResponseBody body = response.body();
        if (response.code() < 400 || body == null || body.contentLength() == 0) {
            return response;
        }
        if (isJsonObject(response.peekBody(MAX_CHECKED))) {
            return response;
        }
        body.close();
        return response.newBuilder().removeHeader("Content-Type").removeHeader("Content-Length")
                .body(ResponseBody.create(new byte[0], null)).build();
    }

    private static boolean isJsonObject(ResponseBody peeked) throws IOException {
        if (peeked.contentLength() >= MAX_CHECKED) {
            return false;
        }
        try {
            JsonNode tree = JSON.readTree(peeked.string());
            return tree != null && tree.isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
