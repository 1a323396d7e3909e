-- Issue 17 (several instances): stored messages that gained a place or an earlier time after they were first
-- stored, in the order the instance that stored the copy noted them. Other instances read it to catch up (new
-- messages they read by message.seq). Written under the cluster's write lock, so seq is MAX + 1.
CREATE TABLE message_change (
    seq         BIGINT NOT NULL PRIMARY KEY,
    message_seq BIGINT NOT NULL
);
