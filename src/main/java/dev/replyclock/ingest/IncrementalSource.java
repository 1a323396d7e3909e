package dev.replyclock.ingest;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.RejectedMessage;

import java.io.IOException;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mailbox read again and again, each time only past where the last read stopped (IMAP, Graph). The
 * caller commits each batch with its checkpoint in one transaction, so a crash loses or repeats nothing.
 */
public interface IncrementalSource extends AutoCloseable {

    /** Reads every folder past its checkpoint; hands each batch to the consumer before fetching the next. */
    PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException;

    /**
     * What {@code replyclock test-source} shows, storing nothing: each folder's message count and the newest messages
     * of each folder (at most {@code newest} per folder), with what could not be read among them. This default reads
     * every folder whole; sources that can ask for the newest messages alone do so.
     */
    default Sample sample(int newest) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<MailMessage>> byFolder = new LinkedHashMap<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        poll(folder -> Optional.empty(), batch -> {
            String folder = batch.checkpoint().folder();
            counts.merge(folder, (long) (batch.messages().size() + batch.rejected().size()), Long::sum);
            List<MailMessage> kept = byFolder.computeIfAbsent(folder, f -> new ArrayList<>());
            kept.addAll(batch.messages());
            kept.sort(Sample.NEWEST_FIRST);
            kept.subList(Math.min(newest, kept.size()), kept.size()).clear();
            rejected.addAll(batch.rejected());
        });
        List<MailMessage> messages = new ArrayList<>();
        byFolder.values().forEach(messages::addAll);
        return new Sample(counts, messages, rejected);
    }

    /**
     * A look at a mailbox without reading it all: messages per folder, and the newest messages read (with their
     * unreadable neighbours).
     */
    record Sample(Map<String, Long> folderCounts, List<MailMessage> messages, List<RejectedMessage> rejected) {
        public static final java.util.Comparator<MailMessage> NEWEST_FIRST = java.util.Comparator.comparing(
                (MailMessage m) -> m.eventTime() == null ? java.time.Instant.MIN : m.eventTime()).reversed();
    }

    /** Releases connections; the source may be polled again afterwards (it reconnects). */
    @Override
    void close();

    /** The stored checkpoint of a folder of this mailbox, and what the store already holds of it. */
    @FunctionalInterface
    interface CheckpointLookup {
        Optional<FolderCheckpoint> get(String folder);

        /**
         * Of these normalised Message-IDs, those stored with a copy seen in this folder of this mailbox: a folder read
         * again (an expired delta) fetches headers only for the others. None by default (a lookup without a store).
         */
        default Set<String> storedIn(String folder, Collection<String> messageIds) {
            return Set.of();
        }

        /**
         * Of these source item ids (Gmail message ids), those a committed batch of this folder listed in
         * {@link Batch#sourceItems}: a folder listed again fetches headers only for the others. None by default.
         */
        default Set<String> itemsRead(String folder, Collection<String> itemIds) {
            return Set.of();
        }
    }

    /** Commits one batch; an exception stops the poll and the batch is fetched again next time. */
    @FunctionalInterface
    interface BatchConsumer {
        void accept(Batch batch) throws IOException;
    }

    /**
     * Messages of one folder and the checkpoint that is reached once they are stored.
     *
     * @param folderReset   the folder is being read again from the start (its UIDVALIDITY changed)
     * @param folderTotal   messages the folder holds past the old checkpoint when the poll began (for progress)
     * @param folderDone    of those, how many are handled including this batch
     * @param sourceItems   the source's own ids of every item this batch handled (stored, rejected or skipped), kept
     *                      with the batch for {@link CheckpointLookup#itemsRead}; empty for sources that need none
     */
    record Batch(FolderCheckpoint checkpoint, List<MailMessage> messages, List<RejectedMessage> rejected,
                 boolean folderReset, long folderTotal, long folderDone, List<String> sourceItems) {

        public Batch(FolderCheckpoint checkpoint, List<MailMessage> messages, List<RejectedMessage> rejected,
                     boolean folderReset, long folderTotal, long folderDone) {
            this(checkpoint, messages, rejected, folderReset, folderTotal, folderDone, List.of());
        }

        /** The same batch holding other messages (what is kept of a reply-only mailbox's). */
        public Batch withMessages(List<MailMessage> kept) {
            return new Batch(checkpoint, kept, rejected, folderReset, folderTotal, folderDone, sourceItems);
        }
    }

    /** What one poll did, per folder, for the log line. */
    record PollSummary(List<FolderSummary> folders) {
        public long newMessages() {
            return folders.stream().mapToLong(FolderSummary::messages).sum();
        }
    }

    record FolderSummary(String folder, long messages, long rejected, long millis) {
    }
}
