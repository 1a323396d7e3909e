package dev.replyclock.store;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Commits generated messages in batches and prints messages/s and the file size. Not a test: run it by hand,
 * e.g. {@code java -cp target/classes:target/test-classes:<deps> dev.replyclock.store.StoreBenchmark [count] [batch] [dir]}.
 * Phase 1 stores new messages; phase 2 re-reads them all from another folder (every copy a duplicate gaining a
 * place); phase 3 loads them back.
 */
public final class StoreBenchmark {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("replyclock-bench");
        Path file = dir.resolve("bench.db");
        Files.deleteIfExists(file);

        Place inbox = new Place("sales", "INBOX", true);
        Place archive = new Place("sales", "Archive", false);
        List<MailMessage> messages = generate(count, inbox);

        try (Store store = Store.open(file)) {
            long t0 = System.nanoTime();
            commitAll(store, messages, batchSize, "INBOX");
            long t1 = System.nanoTime();
            report("new messages", count, t1 - t0, file);

            List<MailMessage> copies = messages.stream().map(m -> new MailMessage(m.id(), m.references(), m.subject(),
                    m.from(), m.sender(), m.replyTo(), m.to(), m.cc(), m.eventTime(), m.threadIndexRoot(),
                    m.conversationHint(), m.automationSigns(), m.attribution(), List.of(archive))).toList();
            long t2 = System.nanoTime();
            commitAll(store, copies, batchSize, "Archive");
            long t3 = System.nanoTime();
            report("duplicate copies (new place)", count, t3 - t2, file);

            for (int round = 1; round <= 3; round++) {
                long t4 = System.nanoTime();
                List<MailMessage> loaded = store.loadMessages();
                long t5 = System.nanoTime();
                System.out.printf("loadMessages (run %d): %d messages in %.2f s (%.0f messages/s)%n", round,
                        loaded.size(), (t5 - t4) / 1e9, loaded.size() / ((t5 - t4) / 1e9));
            }
            System.out.println("counts: " + store.counts());
            System.out.println("integrity_check: " + store.pragma("PRAGMA integrity_check"));
        }
        System.out.printf("file after close: %s (%.1f MB)%n", file, size(file) / 1e6);
    }

    static void commitAll(Store store, List<MailMessage> messages, int batchSize, String folder) {
        for (int from = 0; from < messages.size(); from += batchSize) {
            int to = Math.min(messages.size(), from + batchSize);
            store.commitBatch(new FolderCheckpoint("sales", folder, 1, to), messages.subList(from, to), List.of());
        }
    }

    private static void report(String what, int count, long nanos, Path file) throws Exception {
        double seconds = nanos / 1e9;
        System.out.printf("%s: %d in %.2f s = %.0f messages/s; file %.1f MB (+ WAL %.1f MB)%n", what, count, seconds,
                count / seconds, Files.size(file) / 1e6, walSize(file) / 1e6);
    }

    private static long walSize(Path file) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    private static long size(Path file) throws Exception {
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(file.getFileName().toString()))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Plausible headers: 1-3 references, a 30-60 character subject, 1-2 To, 0-1 Cc, a thread index on some. */
    static List<MailMessage> generate(int count, Place place) {
        Random random = new Random(42);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        List<MailMessage> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("%08x.%016x@mail.firma%d.example", i, random.nextLong(), i % 500);
            List<String> refs = new ArrayList<>();
            for (int r = random.nextInt(4); r > 0; r--) {
                refs.add(String.format("%08x.%016x@mail.firma%d.example", random.nextInt(count), random.nextLong(), r));
            }
            String subject = (refs.isEmpty() ? "" : "Re: ") + "Anfrage Angebot Nr. " + random.nextInt(1_000_000)
                    + " – Lieferung Größe " + (char) ('A' + random.nextInt(26));
            List<String> to = random.nextBoolean() ? List.of("sales@acme.example")
                    : List.of("sales@acme.example", "alice@acme.example");
            List<String> cc = random.nextInt(4) == 0 ? List.of("boss" + random.nextInt(50) + "@firma.example") : List.of();
            String threadIndex = random.nextInt(3) == 0 ? String.format("%044x", random.nextLong()) : null;
            list.add(new MailMessage(id, refs, subject, List.of("kunde" + (i % 5000) + "@firma" + (i % 500) + ".example"),
                    null, List.of(), to, cc, start.plusSeconds(i * 60L + random.nextInt(60)), threadIndex, null,
                    random.nextInt(20) == 0 ? 1 : 0, null, List.of(place)));
        }
        return list;
    }
}
