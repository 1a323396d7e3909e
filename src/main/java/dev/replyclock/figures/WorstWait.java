package dev.replyclock.figures;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;

/** An open lead and how long it has waited: business seconds (the order of worst waits), wall seconds beside. */
public record WorstWait(Lead lead, SlaState state, long businessSeconds, long wallSeconds) {
}
