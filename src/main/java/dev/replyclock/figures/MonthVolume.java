package dev.replyclock.figures;

import java.time.YearMonth;

/**
 * Leads of a team that started in a calendar month (each in its mailbox calendar's zone, SPEC section 13), per
 * member, against {@code leads_per_rep_per_month}.
 *
 * @param perRep null for a team without members
 * @param target null when no policy sets one
 */
public record MonthVolume(String team, YearMonth month, int leads, int members, Double perRep, Integer target) {
}
