-- Outbox claim (issue 17): several instances drain one outbox on PostgreSQL. A sender claims a pending row by one
-- UPDATE that only one process wins (claimed_by NULL, its own, or a lease that ran out), sends, then finishes or
-- postpones the row, which clears the claim. A killed sender's row is taken over once claimed_until has passed.
ALTER TABLE alert_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE alert_outbox ADD COLUMN claimed_until BIGINT;
