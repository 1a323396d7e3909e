package dev.replyclock.store;

/**
 * Where the feeds of a shared store stood when read: the last message seq, the last {@code message_change} seq and
 * the last disposition audit seq. An instance catches up by reading what lies after its marks.
 */
public record FeedMarks(long messageSeq, long changeSeq, long dispositionSeq) {
}
