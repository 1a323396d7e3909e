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
        String tag;
        if (pendingTag != null && pendingA == a && pendingB == b) {
            tag = pendingTag;
            responses.addAll(early);
        } else if (pendingTag != null) {
            throw new IllegalStateException("UID FETCH " + a + ":" + b + " asked while " + pendingA + ":" + pendingB
                    + " is owed");
        } else {
            tag = write(p, a, b);
        }
        early.clear();
        pendingTag = null;
        boolean done = responses.stream().anyMatch(r -> r.isTagged() && tag.equals(r.getTag()));
        if (nextA <= nextB) {
            pendingTag = write(p, nextA, nextB);
            pendingA = nextA;
            pendingB = nextB;
        }
        Response bye = null;
        while (!done) {
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
                continue;
            }
            if (belongsToPending(r)) {
                early.add(r);
                continue;
            }
            responses.add(r);
            done = r.isTagged() && tag.equals(r.getTag());
        }
        if (bye != null) {
            pendingTag = null;
            p.handleResult(bye); // disconnects and throws
        }
        List<Response> others = new ArrayList<>();
        Response result = null;
        for (Response r : responses) {
            if (r.isTagged() && tag.equals(r.getTag())) {
                result = r;
            } else if (!(r instanceof FetchResponse) && !r.isTagged()) {
                others.add(r);
            }
        }
        if (!others.isEmpty()) {
            p.notifyResponseHandlers(others.toArray(new Response[0]));
        }
        p.handleResult(result);
        responses.remove(result); // last, as Protocol.command returns it (the answers read early came in any order)
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
