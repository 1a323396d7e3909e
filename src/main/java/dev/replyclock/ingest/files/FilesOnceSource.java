package dev.replyclock.ingest.files;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.MessageSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A files mailbox inside the service: exports do not change, so they are read once, in batches, and the
 * last batch's checkpoint marks them done. A crash before that reads them again; duplicates merge.
 */
public final class FilesOnceSource implements IncrementalSource {

    /** The pseudo-folder that holds the checkpoint of a files mailbox. */
    public static final String CHECKPOINT_FOLDER = "(files)";
    private static final int BATCH = 1000;

    private final String mailboxId;
    private final FilesSource files;

    public FilesOnceSource(String mailboxId, FilesSource files) {
        this.mailboxId = mailboxId;
        this.files = files;
    }

    @Override
    public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
        long started = System.nanoTime();
        if (checkpoints.get(CHECKPOINT_FOLDER).map(c -> c.lastUid() > 0).orElse(false)) {
            return new PollSummary(List.of(new FolderSummary(CHECKPOINT_FOLDER, 0, 0, 0)));
        }
        List<MailMessage> messages = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        long[] totals = new long[2];
        FolderCheckpoint inProgress = new FolderCheckpoint(mailboxId, CHECKPOINT_FOLDER, 1, 0);
        try {
            files.readAll(new MessageSink() {
                @Override
                public void fileRead() {
                }

                @Override
                public void message(MailMessage message) {
                    messages.add(message);
                    if (messages.size() >= BATCH) {
                        flush(consumer, inProgress, messages, rejected, totals);
                    }
                }

                @Override
                public void unreadable(String where, String reason) {
                    rejected.add(new RejectedMessage(mailboxId, CHECKPOINT_FOLDER, where, reason));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        flush(consumer, new FolderCheckpoint(mailboxId, CHECKPOINT_FOLDER, 1, 1), messages, rejected, totals);
        return new PollSummary(List.of(new FolderSummary(CHECKPOINT_FOLDER, totals[0], totals[1],
                (System.nanoTime() - started) / 1_000_000)));
    }

    private static void flush(BatchConsumer consumer, FolderCheckpoint checkpoint, List<MailMessage> messages,
                              List<RejectedMessage> rejected, long[] totals) {
        totals[0] += messages.size();
        totals[1] += rejected.size();
        try {
            consumer.accept(new Batch(checkpoint, List.copyOf(messages), List.copyOf(rejected), false, 0, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        messages.clear();
        rejected.clear();
    }

    @Override
    public void close() {
    }
}
