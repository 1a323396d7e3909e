package dev.replyclock.store;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.it.pg.PostgresServer;

import java.util.List;

/**
 * {@link StoreBenchmark}'s first and last phases on the test PostgreSQL (fsync off: the server's own cost, not the
 * disk's): new messages committed in batches, then loaded back. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.store.PostgresStoreBenchmark [count] [batch]}.
 */
public final class PostgresStoreBenchmark {

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<MailMessage> messages = StoreBenchmark.generate(count, new Place("sales", "INBOX", true));
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        try (Store store = Store.openPostgres(db.url(), db.user(), db.password())) {
            long t0 = System.nanoTime();
            StoreBenchmark.commitAll(store, messages, batchSize, "INBOX");
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("new messages: %d in %.2f s = %.0f messages/s (batches of %d)%n", count, seconds,
                    count / seconds, batchSize);
            for (int round = 1; round <= 3; round++) {
                long t1 = System.nanoTime();
                int loaded = store.loadMessages().size();
                double s = (System.nanoTime() - t1) / 1e9;
                System.out.printf("loadMessages (run %d): %d messages in %.2f s (%.0f messages/s)%n", round, loaded, s,
                        loaded / s);
            }
        }
    }
}
