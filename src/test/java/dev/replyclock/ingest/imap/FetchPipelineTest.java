package dev.replyclock.ingest.imap;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that answers two pipelined {@code UID FETCH} commands interleaved, and completes the second first (RFC 9051
 * 5.5 allows both): each window still gets exactly its own messages and its own result, and the second window is
 * answered from what was read already, without reading from the server again.
 */
class FetchPipelineTest {

    private static final String ITEMS = "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";

    @Test
    void interleavedAnswersToTwoPipelinedFetchesReachTheirOwnWindow() throws Exception {
        PipedInputStream fromClient = new PipedInputStream(1 << 16);
        PipedOutputStream toServer = new PipedOutputStream(fromClient);
        PipedInputStream fromServer = new PipedInputStream(1 << 16);
        PipedOutputStream toClient = new PipedOutputStream(fromServer);
        IMAPProtocol protocol = new IMAPProtocol(fromServer, new PrintStream(toServer, true, StandardCharsets.US_ASCII),
                new Properties(), false);
        List<String> handled = new ArrayList<>();
        protocol.addResponseHandler(r -> handled.add(r.toString()));

        CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader commands = new BufferedReader(new InputStreamReader(fromClient, StandardCharsets.US_ASCII));
                String first = commands.readLine();
                String second = commands.readLine();
                String tag1 = first.substring(0, first.indexOf(' '));
                String tag2 = second.substring(0, second.indexOf(' '));
                OutputStream out = toClient;
                out.write((fetch(1) + fetch(3) + "* 7 EXISTS\r\n" + fetch(2) + tag2 + " OK second done\r\n" + fetch(4)
                        + tag1 + " OK first done\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return List.of(first, second);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        FetchPipeline pipeline = new FetchPipeline(null, ITEMS);
        Response[] window1 = pipeline.exchange(protocol, 1, 2, 3, 4);
        List<String> commands = server.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("UID FETCH 1:2 " + ITEMS, "UID FETCH 3:4 " + ITEMS),
                commands.stream().map(c -> c.substring(c.indexOf(' ') + 1)).toList(),
                "the second window asked for before the first one's answer was read");
        assertEquals(List.of(1L, 2L), uids(window1));
        assertEquals("first done", last(window1));
        assertTrue(pipeline.pending());
        assertEquals(List.of("* 7 EXISTS"), handled, "untagged answers other than FETCH go to the folder's handlers");

        Response[] window2 = pipeline.exchange(protocol, 3, 4, 5, 4);
        assertEquals(List.of(3L, 4L), uids(window2));
        assertEquals("second done", last(window2));
        assertFalse(pipeline.pending());
        assertEquals(0, fromServer.available(), "everything the server sent was read, nothing more asked");
    }

    private static String fetch(int uid) {
        String header = "Message-ID: <m" + uid + "@buyer.example>\r\n\r\n";
        return "* " + uid + " FETCH (UID " + uid + " BODY[HEADER.FIELDS (MESSAGE-ID)] {" + header.length() + "}\r\n"
                + header + ")\r\n";
    }

    private static List<Long> uids(Response[] responses) {
        List<Long> uids = new ArrayList<>();
        for (Response r : responses) {
            if (r instanceof FetchResponse fr) {
                uids.add(fr.getItem(UID.class).uid);
            }
        }
        return uids;
    }

    private static String last(Response[] responses) {
        Response result = responses[responses.length - 1];
        assertTrue(result.isTagged() && result.isOK(), Arrays.toString(responses));
        return result.getRest();
    }
}
