package dev.replyclock.app;

import dev.replyclock.SharedFiles;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.thread.MessageSet;
import dev.replyclock.thread.Subjects;
import dev.replyclock.thread.Threader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threading of 6,046 real messages against an independent count: this test reads Message-ID, In-Reply-To
 * and References itself (plain regular expressions, no project code) and links them with its own
 * union-find. Every conversation it finds must be one conversation of the engine; where the engine joins
 * several of them, a Thread-Index root or the subject fallback must explain it.
 */
class CorpusThreadingTest {

    private static final Pattern ID = Pattern.compile("<([^<>\\s]+)>");
    /** A local part without blanks, quotes, brackets or (),;:<> (split at the last @), a letter-or-digit-bounded domain. */
    private static final Pattern BARE_ID = Pattern.compile("[^\\s\"'\\[\\](),;:<>]+@[\\p{L}\\p{N}](?:[\\p{L}\\p{N}.-]*[\\p{L}\\p{N}])?");
    private static final Pattern WELL_FORMED_ID = Pattern.compile("\\s*<[^<>\\s]+>\\s*");

    @Test
    void referenceLinkedConversationsMatchAnIndependentCount() throws IOException {
        List<Path> folders = SharedFiles.spamAssassinFolders();

        // Independent side: raw headers, ids normalised as SPEC 13 says (domain lower-cased).
        Map<String, String> parent = new HashMap<>();
        Map<String, String> fileOfId = new HashMap<>();
        int files = 0;
        for (Path folder : folders) {
            try (Stream<Path> list = Files.list(folder)) {
                for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                    files++;
                    Map<String, String> h = headers(file);
                    String messageId = h.getOrDefault("message-id", "");
                    List<String> own = ids(messageId);
                    if (!WELL_FORMED_ID.matcher(messageId).matches()) {
                        continue; // missing or broken ids: left to the parser's unit tests
                    }
                    String id = own.get(0);
                    fileOfId.putIfAbsent(id, file.toString());
                    find(parent, id);
                    for (String header : List.of("in-reply-to", "references")) {
                        for (String ref : referenceIds(h.getOrDefault(header, ""))) {
                            union(parent, id, ref);
                        }
                    }
                }
            }
        }
        Map<String, Set<String>> independent = new HashMap<>();
        for (String id : fileOfId.keySet()) {
            independent.computeIfAbsent(find(parent, id), k -> new HashSet<>()).add(id);
        }
        long linked = independent.values().stream().filter(c -> c.size() > 1).count();

        // Engine side.
        MessageSet set = new MessageSet();
        new FilesSource("corpus", folders, new HeaderParser("X-Replyclock-Rep")).readAll(MessageSink.into(set));
        List<Conversation> engine = new Threader(a -> true).thread(set.messages());
        Map<String, Integer> engineConversationOf = new HashMap<>();
        for (int i = 0; i < engine.size(); i++) {
            for (MailMessage m : engine.get(i).messages()) {
                engineConversationOf.put(m.id(), i);
            }
        }

        List<String> unknown = fileOfId.keySet().stream().filter(id -> !engineConversationOf.containsKey(id)).sorted().toList();
        assertTrue(unknown.isEmpty(), () -> "ids the engine does not know: " + unknown.stream().limit(10).map(id -> id + " in " + fileOfId.get(id)).toList());
        // 1. Nothing that references link is split by the engine.
        for (Set<String> component : independent.values()) {
            Set<Integer> where = new HashSet<>();
            component.forEach(id -> where.add(engineConversationOf.get(id)));
            assertEquals(1, where.size(), () -> "split by the engine: " + component);
        }
        // 2. Every join beyond the references is explained by Thread-Index or the subject fallback.
        Map<Integer, List<Set<String>>> componentsPerConversation = new HashMap<>();
        independent.values().forEach(c -> componentsPerConversation
                .computeIfAbsent(engineConversationOf.get(c.iterator().next()), k -> new ArrayList<>()).add(c));
        int extraJoins = 0;
        for (Map.Entry<Integer, List<Set<String>>> e : componentsPerConversation.entrySet()) {
            if (e.getValue().size() > 1) {
                extraJoins += e.getValue().size() - 1;
                Conversation c = engine.get(e.getKey());
                assertTrue(explainedJoin(c), () -> "joined without a reason:\n" + String.join("\n", c.messages().stream()
                        .map(m -> m.id() + " | refs " + m.references() + " | " + m.subject() + " | " + m.threadIndexRoot()).toList()));
            }
        }
        long engineWithRealIds = engine.stream().filter(c -> c.messages().stream().anyMatch(m -> fileOfId.containsKey(m.id()))).count();
        System.out.printf(Locale.ROOT, "corpus threading: %d files, %d ids, %d reference-linked conversations (%d with 2+ messages); "
                        + "engine %d conversations, %d joined further by Thread-Index or subject%n",
                files, fileOfId.size(), independent.size(), linked, engineWithRealIds, extraJoins);
        assertEquals(independent.size() - extraJoins, engineWithRealIds);
        assertTrue(linked > 500, "the corpus has many reply pairs: " + linked);
    }

    private static boolean explainedJoin(Conversation c) {
        Set<String> threadIndexRoots = new HashSet<>();
        Set<String> subjects = new HashSet<>();
        for (MailMessage m : c.messages()) {
            if (m.threadIndexRoot() != null && !threadIndexRoots.add(m.threadIndexRoot())) {
                return true;
            }
            subjects.add(Subjects.normalise(m.subject()).text());
        }
        return c.messages().stream().anyMatch(m -> m.references().isEmpty() && Subjects.normalise(m.subject()).replyOrForward())
                && subjects.size() < c.messages().size();
    }

    private static Map<String, String> headers(Path file) throws IOException {
        Map<String, String> headers = new HashMap<>();
        String name = null;
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\r?\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                headers.computeIfPresent(name, (k, v) -> v + " " + line.strip());
            } else if (line.indexOf(':') > 0) {
                name = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                headers.putIfAbsent(name, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return headers;
    }

    /** SPEC 13: every {@code <...>} token, else the whitespace tokens shaped like {@code local@domain}. */
    private static List<String> referenceIds(String value) {
        List<String> ids = ids(value);
        if (ids.isEmpty()) {
            for (String token : value.split("\\s+")) {
                if (BARE_ID.matcher(token).matches()) {
                    int at = token.lastIndexOf('@');
                    ids.add(token.substring(0, at) + token.substring(at).toLowerCase(Locale.ROOT));
                }
            }
        }
        return ids;
    }

    private static List<String> ids(String value) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(value);
        while (m.find()) {
            String id = m.group(1);
            int at = id.lastIndexOf('@');
            ids.add(at < 0 ? id : id.substring(0, at) + id.substring(at).toLowerCase(Locale.ROOT));
        }
        return ids;
    }

    private static String find(Map<String, String> parent, String x) {
        String p = parent.putIfAbsent(x, x);
        while (p != null && !p.equals(x)) {
            x = p;
            p = parent.get(x);
        }
        return x;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }
}
