package dev.replyclock.app;

import dev.replyclock.config.StoreConfig;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code replyclock migrate-store --from sqlite:PATH --to jdbc:postgresql://HOST/DB}: copies every table of a store
 * into an empty one, SQLite to PostgreSQL or back, and prints the rows copied per table. Stop the service first: the
 * copy is what the source held when it began. Passwords come from {@code --to-password-file}/
 * {@code --from-password-file} or the {@code PGPASSWORD} environment variable, never from the command line.
 */
@Command(name = "migrate-store", mixinStandardHelpOptions = true,
        description = "Copy a store into an empty one: SQLite to PostgreSQL (several instances) or back.",
        footerHeading = "%nExamples:%n", footer = {
                "  PGPASSWORD=... replyclock migrate-store --from sqlite:replyclock.db \\",
                "      --to jdbc:postgresql://db:5432/replyclock --to-user replyclock",
                "  replyclock migrate-store --from jdbc:postgresql://db:5432/replyclock --from-user replyclock \\",
                "      --from-password-file /run/secrets/pg --to sqlite:copy.db"})
final class MigrateStoreCommand implements Callable<Integer> {

    static final String SQLITE = "sqlite:";

    @Option(names = "--from", required = true, paramLabel = "STORE",
            description = "the store to copy: sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE",
            description = "the empty store to fill: sqlite:PATH (created) or jdbc:postgresql://HOST:PORT/DATABASE")
    String to;

    @Option(names = "--from-user", paramLabel = "ROLE", description = "PostgreSQL role of --from (default: $PGUSER)")
    String fromUser;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "file holding the PostgreSQL password of --from (default: $PGPASSWORD)")
    Path fromPasswordFile;

    @Option(names = "--to-user", paramLabel = "ROLE", description = "PostgreSQL role of --to (default: $PGUSER)")
    String toUser;

    @Option(names = "--to-password-file", paramLabel = "FILE",
            description = "file holding the PostgreSQL password of --to (default: $PGPASSWORD)")
    Path toPasswordFile;

    /** The environment (tests give their own). */
    Function<String, String> env = System::getenv;

    @Override
    public Integer call() {
        StoreConfig source = store("--from", from, fromUser, fromPasswordFile);
        StoreConfig target = store("--to", to, toUser, toPasswordFile);
        if (source.name().equals(target.name())) {
            throw new CommandFailure(CommandFailure.CANNOT_START, "--from and --to are the same store: " + source.name());
        }
        if (!source.isPostgres() && !Files.isRegularFile(source.path())) {
            throw new CommandFailure(CommandFailure.CANNOT_START, "--from: no store file " + source.path());
        }
        long started = System.nanoTime();
        try (Store in = StoreOpening.open(source); Store out = StoreOpening.open(target)) {
            Map<String, Long> copied = in.copyInto(out);
            Map<String, Long> written = out.tableCounts();
            long total = 0;
            System.out.printf("%-22s %12s%n", "table", "rows");
            for (Map.Entry<String, Long> e : copied.entrySet()) {
                System.out.printf("%-22s %12d%n", e.getKey(), e.getValue());
                total += e.getValue();
                if (!e.getValue().equals(written.get(e.getKey()))) {
                    throw new CommandFailure(1, "table " + e.getKey() + ": copied " + e.getValue() + " rows but "
                            + target.name() + " holds " + written.get(e.getKey()));
                }
            }
            System.out.printf("copied %d rows from %s to %s in %.1f s%n", total, source.name(), target.name(),
                    (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (StoreException e) {
            throw new CommandFailure(1, e.getMessage(), e);
        }
    }

    /** {@code sqlite:PATH} or a PostgreSQL url, with its credentials. */
    private StoreConfig store(String option, String location, String user, Path passwordFile) {
        if (location.startsWith(SQLITE) && location.length() > SQLITE.length()) {
            if (user != null || passwordFile != null) {
                throw new CommandFailure(CommandFailure.CANNOT_START, option + " is SQLite: it takes no user or password");
            }
            return new StoreConfig(Path.of(location.substring(SQLITE.length())).toAbsolutePath().normalize());
        }
        if (!location.startsWith("jdbc:postgresql://")) {
            throw new CommandFailure(CommandFailure.CANNOT_START, option + ": expected sqlite:PATH or "
                    + "jdbc:postgresql://HOST:PORT/DATABASE, got '" + StoreConfig.postgres(location, null, null).name() + "'");
        }
        if (location.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new CommandFailure(CommandFailure.CANNOT_START, option + ": the url must not hold the password; use "
                    + option + "-password-file or PGPASSWORD");
        }
        String password = passwordFile != null ? read(option + "-password-file", passwordFile) : env.apply("PGPASSWORD");
        return StoreConfig.postgres(location, user != null ? user : env.apply("PGUSER"), password);
    }

    private static String read(String option, Path file) {
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new CommandFailure(CommandFailure.CANNOT_START, option + " " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.CANNOT_START, option + " " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
