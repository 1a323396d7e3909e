package dev.replyclock.ingest.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.CollectingSink;
import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesSourceTest {

    @TempDir
    Path tmp;

    private final HeaderParser parser = new HeaderParser("X-Replyclock-Rep");

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String message(String id) {
        return "Message-ID: <" + id + ">\nFrom: a@x.example\nSubject: " + id + "\n\nbody of " + id + "\n";
    }

    private CollectingSink read(List<Path> paths) throws IOException {
        CollectingSink sink = new CollectingSink();
        new FilesSource("mb", paths, parser).readAll(sink);
        return sink;
    }

    private static List<String> ids(CollectingSink sink) {
        return sink.messages.stream().map(MailMessage::id).toList();
    }

    @Test
    void maildirReadsCurAndNewSortedTogetherButNotTmpOrSubfolders() throws IOException {
        Path md = tmp.resolve("INBOX");
        write(md.resolve("cur/2.host:2,S"), message("m2@x"));
        write(md.resolve("new/1.host"), message("m1@x"));
        write(md.resolve("new/3.host"), message("m3@x"));
        write(md.resolve("tmp/0.host"), message("tmp@x"));
        write(md.resolve(".Sent/cur/9.host"), message("sub@x"));
        CollectingSink sink = read(List.of(md));
        assertEquals(List.of("m1@x", "m2@x", "m3@x"), ids(sink));
        assertEquals(3, sink.files);
        assertEquals(new Place("mb", "INBOX", true), sink.messages.get(0).places().get(0));
    }

    @Test
    void folderOfOneMessageFilesIsSortedAndNotRecursive() throws IOException {
        Path dir = tmp.resolve("sent");
        write(dir.resolve("b.eml"), message("b@x"));
        write(dir.resolve("a.eml"), message("a@x"));
        write(dir.resolve("deeper/c.eml"), message("c@x"));
        write(dir.resolve("notes.txt"), "just some notes\n");
        // a file of a folder is one message even when it starts like an mbox
        write(dir.resolve("d.txt"), "From a@x.example Thu Aug 22 13:17:22 2002\n" + message("d@x")
                + "\nFrom b@x Thu Aug 22 13:17:22 2002\n" + message("e@x"));
        CollectingSink sink = read(List.of(dir));
        assertEquals(List.of("a@x", "b@x", "d@x"), ids(sink));
        assertEquals(4, sink.files);
        assertEquals(List.of(dir.resolve("notes.txt").toString()), List.copyOf(sink.unreadable.keySet()));
        assertEquals(new Place("mb", "sent", false), sink.messages.get(0).places().get(0));
    }

    @Test
    void mboxFileYieldsEveryMessageAndCountsOnce() throws IOException {
        Path mbox = tmp.resolve("Inbox.mbox");
        write(mbox, "From a@x Thu Aug 22 13:17:22 2002\n" + message("one@x")
                + "From here on the body goes on\n\n>From quoted\nFrom not-after-blank-line\n"
                + "\nFrom b@x Thu Aug 22 13:17:23 2002\n" + message("two@x")
                + "\nFrom c@x Thu Aug 22 13:17:24 2002\nMessage-ID: <three@x>\nSubject: headers only");
        CollectingSink sink = read(List.of(mbox));
        assertEquals(List.of("one@x", "two@x", "three@x"), ids(sink));
        assertEquals(1, sink.files);
        assertEquals(0, sink.unreadableCount);
        assertEquals(new Place("mb", "Inbox", true), sink.messages.get(0).places().get(0));
    }

    @Test
    void mboxWithCrlfLineEndsAndAHugeBodyLine() throws IOException {
        StringBuilder body = new StringBuilder();
        body.append("x".repeat(3 * 1024 * 1024)).append("\r\n\r\n");
        String text = "From a@x Thu Aug 22 13:17:22 2002\r\nMessage-ID: <big@x>\r\nSubject: big\r\n\r\n" + body
                + "From b@x Thu Aug 22 13:17:22 2002\r\nMessage-ID: <after@x>\r\nSubject: s\r\n\r\nbody\r\n";
        Path mbox = tmp.resolve("archive.mbx");
        write(mbox, text);
        CollectingSink sink = read(List.of(mbox));
        assertEquals(List.of("big@x", "after@x"), ids(sink));
        assertEquals("archive", sink.messages.get(0).places().get(0).folder());
        assertEquals("big", sink.messages.get(0).subject());
    }

    @Test
    void mboxWithNoReadableMessageIsOneUnreadable() throws IOException {
        Path mbox = tmp.resolve("junk.mbox");
        write(mbox, "From a@x Thu Aug 22 13:17:22 2002\nX-Foo: 1\n\nbody\n\nFrom b@x Thu Aug 22 2002\nX-Bar: 2\n\n");
        CollectingSink sink = read(List.of(mbox));
        assertEquals(1, sink.files);
        assertEquals(1, sink.unreadableCount);
        assertTrue(sink.unreadable.get(mbox.toString()).contains("no readable message"), sink.unreadable.toString());
        assertEquals(0, sink.messages.size());
    }

    @Test
    void mboxWithOneBadMessageKeepsTheGoodOnes() throws IOException {
        Path mbox = tmp.resolve("mixed");
        write(mbox, "From a@x Thu Aug 22 13:17:22 2002\nX-Foo: 1\n\nbody\n\nFrom b@x Thu Aug 22 2002\n" + message("ok@x"));
        CollectingSink sink = read(List.of(mbox));
        assertEquals(List.of("ok@x"), ids(sink));
        assertEquals(0, sink.unreadableCount);
    }

    @Test
    void singleMessageFile() throws IOException {
        Path file = tmp.resolve("one.eml");
        write(file, message("single@x"));
        CollectingSink sink = read(List.of(file));
        assertEquals(List.of("single@x"), ids(sink));
        assertEquals(1, sink.files);
        assertEquals("one.eml", sink.messages.get(0).places().get(0).folder());
    }

    @Test
    void emptyFileIsUnreadable() throws IOException {
        Path file = tmp.resolve("empty");
        write(file, "");
        CollectingSink sink = read(List.of(file));
        assertEquals(1, sink.files);
        assertEquals(1, sink.unreadableCount);
    }

    @Test
    void missingPathIsReportedCountsNoFileAndDoesNotStopTheRead() throws IOException {
        Path missing = tmp.resolve("nope");
        Path file = tmp.resolve("one.eml");
        write(file, message("single@x"));
        CollectingSink sink = read(List.of(missing, file));
        assertEquals("no such file or folder", sink.unreadable.get(missing.toString()));
        assertEquals(1, sink.files);
        assertEquals(List.of("single@x"), ids(sink));
    }

    @Test
    void samePathTwiceGivesTwoCopies() throws IOException {
        Path dir = tmp.resolve("inbox");
        write(dir.resolve("a.eml"), message("a@x"));
        CollectingSink sink = read(List.of(dir, dir));
        assertEquals(2, sink.files);
        assertEquals(1, sink.merged().size());
    }

    @Test
    void bigMaildirOnSeveralThreadsKeepsFileOrderReadsLongHeaderBlocksAndSkipsEntriesThatAreNoFiles() throws IOException {
        Path md = tmp.resolve("big");
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 700; i++) { // more than the two chunks below which one thread reads everything
            String id = String.format("m%04d@x", i);
            String text = message(id);
            if (i == 350) { // a header block far beyond the readers' scratch buffer; its Subject comes last
                text = "Message-ID: <" + id + ">\nFrom: a@x.example\n"
                        + "Received: from relay.example by mx.example; Thu, 22 Aug 2002 13:17:22 +0000\n".repeat(600)
                        + "Subject: the long one\n\nbody\n";
            } else if (i == 351) {
                text = text.replace("\n", "\r\n");
            }
            write(md.resolve("cur/" + String.format("%04d", i) + ".host:2,S"), text);
            expected.add(id);
        }
        Files.createDirectories(md.resolve("cur/0100.host.folder"));
        Files.createDirectories(md.resolve("new/0200.folder"));
        CollectingSink sink = read(List.of(md));
        assertEquals(expected, ids(sink));
        assertEquals(700, sink.files);
        assertEquals(0, sink.unreadableCount);
        assertEquals("the long one", sink.messages.get(350).subject());
        assertEquals("m0351@x", sink.messages.get(351).subject());
    }

    @Test
    void folderNames() {
        assertEquals("Sent", FilesSource.folderName(Path.of("/a/b/Sent.MBOX")));
        assertEquals("inbox", FilesSource.folderName(Path.of("mail/inbox/")));
        assertEquals("x.eml", FilesSource.folderName(Path.of("x.eml")));
        assertEquals(".mbox", FilesSource.folderName(Path.of(".mbox")));
    }
}
