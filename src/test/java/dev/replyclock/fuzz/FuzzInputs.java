package dev.replyclock.fuzz;

import dev.replyclock.SharedFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The real messages fuzz tests start from (a sample of the SpamAssassin corpus and every scenario's mail) and the
 * seed they mutate them with ({@code -Dreplyclock.fuzz.seed=N} to repeat or vary a run).
 */
public final class FuzzInputs {

    public static final long SEED = Long.getLong("replyclock.fuzz.seed", 20_261_206L);
    /** Every n-th SpamAssassin message is an original (a few hundred of the 6,046). */
    private static final int CORPUS_STRIDE = 12;
    private static List<byte[]> originals;

    private FuzzInputs() {
    }

    /** The originals, each cut at 64 KiB (headers and a little body: enough to break). */
    public static synchronized List<byte[]> originals() throws IOException {
        if (originals != null) {
            return originals;
        }
        List<Path> files = new ArrayList<>();
        for (Path folder : SharedFiles.spamAssassinFolders()) {
            try (Stream<Path> s = Files.list(folder)) {
                List<Path> sorted = s.filter(Files::isRegularFile).sorted().toList();
                for (int i = 0; i < sorted.size(); i += CORPUS_STRIDE) {
                    files.add(sorted.get(i));
                }
            }
        }
        try (Stream<Path> s = Files.walk(SharedFiles.scenarios())) {
            s.filter(Files::isRegularFile).filter(p -> p.toString().contains("/mail/")).sorted().forEach(files::add);
        }
        List<byte[]> read = new ArrayList<>(files.size());
        for (Path p : files) {
            try (InputStream in = Files.newInputStream(p)) {
                read.add(in.readNBytes(64 * 1024));
            }
        }
        if (read.size() < 1000) {
            throw new AssertionError("too few originals for fuzzing: " + read.size());
        }
        originals = List.copyOf(read);
        return originals;
    }

    /** Input {@code i} of {@code seed}: the same whenever asked, so one failing input can be repeated alone. */
    public static MailMutator.Mutant mutant(MailMutator mutator, List<byte[]> all, long seed, int i) {
        Random random = new Random(seed * 1_000_003L + i);
        return mutator.mutate(all.get(random.nextInt(all.size())), random);
    }

    /** How to repeat a failure on input {@code i}. */
    public static String repeat(long seed, int i, MailMutator.Mutant m) {
        return "seed " + seed + ", input " + i + " (" + String.join(", ", m.mutations()) + "); repeat with "
                + "-Dreplyclock.fuzz.seed=" + SEED + " (other fuzz tests derive their seeds from it)";
    }
}
