package dev.replyclock.report;

/** The reading counts of SPEC section 12. */
public record Counts(long files, long unreadable, long messages, long duplicates, long undated, long automated,
                     long conversations) {
}
