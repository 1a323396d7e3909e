package dev.replyclock.ingest.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.UID;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The header fetches of one read of a folder, one command ahead: the next window's {@code UID FETCH} is sent before
 * this window's responses are read, so that the server prepares it while this side reads and parses instead of
 * waiting for the next command (a client may send commands without waiting for the last to complete, RFC 9051 5.5).
 * Responses are told apart by tag and by UID, so a server that interleaves the two commands' answers loses nothing.
 * Used by one thread at a time; a read that stops with a command still {@link #pending()} leaves the connection with
 * answers owed to it, and must not be used for anything else.
 */
final class FetchPipeline {

    private final IMAPFolder folder;
    private final String items;
    /** The command sent ahead, whose responses are not read yet (null when none). */
    private String pendingTag;
    private long pendingA;
    private long pendingB;
    /** Responses already read that belong to the pending command. */
    private final List<Response> early = new ArrayList<>();

    FetchPipeline(IMAPFolder folder, String items) {
        this.folder = folder;
        this.items = items;
    }

    boolean pending() {
        return pendingTag != null;
    }

    /**
     * The responses to {@code UID FETCH a:b}, its tagged result last (the untagged ones other than FETCH passed to the
     * folder's handlers, the result checked), after sending {@code UID FETCH nextA:nextB} when {@code nextA <= nextB}.
     */
    Response[] fetch(long a, long b, long nextA, long nextB) throws MessagingException {
        return (Response[]) folder.doCommand(p -> exchange(p, a, b, nextA, nextB));
    }

    /** {@link #fetch} on a protocol the caller holds (the folder's, inside its {@code doCommand}). */
    Response[] exchange(IMAPProtocol p, long a, long b, long nextA, long nextB) throws ProtocolException {
        List<Response> responses = new ArrayList<>();
        Response result = null; // the tagged answer to a:b, returned last as Protocol.command returns it
        String tag;
        if (pendingTag != null && pendingA == a && pendingB == b) {
            tag = pendingTag;
            for (Response r : early) { // read while the window before was, in the order they came
                if (r.isTagged()) {
                    result = r;
                } else {
                    responses.add(r);
                }
            }
        } else if (pendingTag != null) {
            throw new IllegalStateException("UID FETCH " + a + ":" + b + " asked while " + pendingA + ":" + pendingB
                    + " is owed");
        } else {
            tag = write(p, a, b);
        }
        early.clear();
        pendingTag = null;
        if (nextA <= nextB) {
            pendingTag = write(p, nextA, nextB);
            pendingA = nextA;
            pendingB = nextB;
        }
        Response bye = null;
        while (result == null) {
            Response r;
            try {
                r = p.readResponse();
            } catch (IOException e) {
                bye = bye == null ? Response.byeResponse(e) : bye;
                break;
            } catch (ProtocolException e) {
                continue; // a response that cannot be parsed is skipped, as Protocol.command does
            }
            if (r.isBYE()) {
                bye = r;
            } else if (belongsToPending(r)) {
                early.add(r);
            } else if (r.isTagged() && tag.equals(r.getTag())) {
                result = r;
            } else {
                responses.add(r);
            }
        }
        if (bye != null) {
            pendingTag = null;
            p.handleResult(bye); // disconnects and throws
        }
        Response[] others = responses.stream().filter(r -> !(r instanceof FetchResponse) && !r.isTagged())
                .toArray(Response[]::new);
        if (others.length > 0) {
            p.notifyResponseHandlers(others);
        }
        p.handleResult(result);
        responses.add(result);
        return responses.toArray(new Response[0]);
    }

    private boolean belongsToPending(Response r) {
        if (pendingTag == null) {
            return false;
        }
        if (r.isTagged()) {
            return pendingTag.equals(r.getTag());
        }
        if (r instanceof FetchResponse fr) {
            UID uid = fr.getItem(UID.class);
            return uid != null && uid.uid >= pendingA && uid.uid <= pendingB;
        }
        return false;
    }

    private String write(IMAPProtocol p, long a, long b) throws ProtocolException {
        try {
            return p.writeCommand("UID FETCH " + a + ":" + b + " " + items, null);
        } catch (IOException e) {
            pendingTag = null;
            p.handleResult(Response.byeResponse(e)); // disconnects and throws
            throw new IllegalStateException("unreachable", e);
        }
    }
}
