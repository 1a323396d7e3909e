package dev.replyclock.poll;

import dev.replyclock.ingest.IncrementalSource;

/**
 * The reading rate of the folder a poll is in, for progress lines: timed from the folder's first batch, so that a
 * second folder (or a second mailbox) is not measured from the start of the first (a Sent folder read in half a minute
 * after a 600,000-message INBOX showed 340 messages a second and "18 minutes left"). Used by one thread.
 */
public final class FolderRate {

    private String mailboxId;
    private String folder;
    private long startedNanos;
    private long doneAtStart;

    /**
     * Messages a second of this batch's folder at {@code nanoTime}; NaN for a folder's first batch (nothing timed yet).
     */
    public double perSecond(String mailboxId, IncrementalSource.Batch batch, long nanoTime) {
        String batchFolder = batch.checkpoint().folder();
        if (!mailboxId.equals(this.mailboxId) || !batchFolder.equals(folder)) {
            this.mailboxId = mailboxId;
            this.folder = batchFolder;
            this.startedNanos = nanoTime;
            this.doneAtStart = batch.folderDone();
            return Double.NaN;
        }
        return (batch.folderDone() - doneAtStart) / Math.max(1e-3, (nanoTime - startedNanos) / 1e9);
    }
}
