package dev.replyclock.alert;

import dev.replyclock.report.LeadStats;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * One team's daily digest: the figures of {@link LeadStats} over the leads that started in the window, the
 * worst waits still open, and one line per rep (also {@link LeadStats}, over the leads that rep answered first).
 */
public record DigestMessage(String teamId, LocalDate date, Duration window, LeadStats stats, List<Wait> worstWaits,
                            List<RepLine> reps, String link) {

    /** An open lead and how long it has waited in business time. */
    public record Wait(String mailboxId, String party, String subject, Duration waited, String state) {
    }

    /** A rep's first responses in the window. */
    public record RepLine(String rep, LeadStats stats) {
    }

    public String headline() {
        return "Daily digest for team " + teamId + ", " + date;
    }
}
