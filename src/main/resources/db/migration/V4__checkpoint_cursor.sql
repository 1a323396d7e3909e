-- A source's opaque resume point per folder (Graph delta/next link); null for IMAP and files.
ALTER TABLE folder_checkpoint ADD COLUMN cursor TEXT;
