package dev.replyclock.report;

import dev.replyclock.thread.Subjects;

/**
 * The normalised forms of recently seen subjects, for the live analysis: one recomputation normalises the subject of
 * each message it touches three times (finding what it links to, forgetting the old conversation, remembering the new
 * one), and normalising (prefix pattern, case folding) was a tenth of a first sync's storing thread. Direct-mapped, a
 * fixed size, no eviction bookkeeping; not thread-safe (used under the analysis' lock).
 */
final class SubjectCache {

    private static final int SLOTS = 1 << 14;
    private final String[] subjects = new String[SLOTS];
    private final Subjects.Normalised[] normalised = new Subjects.Normalised[SLOTS];

    Subjects.Normalised normalise(String subject) {
        if (subject == null) {
            return Subjects.normalise(null);
        }
        int h = subject.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String held = subjects[slot];
        if (held != null && (held == subject || held.equals(subject))) {
            return normalised[slot];
        }
        Subjects.Normalised n = Subjects.normalise(subject);
        subjects[slot] = subject;
        normalised[slot] = n;
        return n;
    }
}
