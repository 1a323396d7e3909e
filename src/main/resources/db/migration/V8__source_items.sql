-- Issue 15: the ids a source gives its items (Gmail message ids) that were read into a folder's batches, committed with
-- the batch, so that a folder listed again (an expired Gmail history id) fetches headers only for items not read yet.
CREATE TABLE source_item (
    mailbox_id TEXT NOT NULL,
    folder     TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, folder, item_id)
);
