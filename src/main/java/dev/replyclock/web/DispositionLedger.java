package dev.replyclock.web;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where managers' dispositions are kept and applied (SPEC section 14); {@code app} implements it over the store and
 * the live analysis, so that web never imports them.
 */
public interface DispositionLedger {

    /** Stores the disposition (replacing a standing one), applies it to every figure and records it in the audit. */
    void set(Disposition disposition);

    /** Withdraws the standing disposition, restoring the computed figures; empty when none stood. */
    Optional<Disposition> withdraw(String leadMessageId, String who, Instant at);

    Optional<Disposition> standing(String leadMessageId);

    /** Every change, oldest first. */
    List<DispositionChange> history(String leadMessageId);

    /** No store behind the pages (benchmarks, page tests): nothing stands, and setting one is refused. */
    DispositionLedger NONE = new DispositionLedger() {
        @Override
        public void set(Disposition disposition) {
            throw new ApiError(503, null, "dispositions are not kept by this server");
        }

        @Override
        public Optional<Disposition> withdraw(String leadMessageId, String who, Instant at) {
            throw new ApiError(503, null, "dispositions are not kept by this server");
        }

        @Override
        public Optional<Disposition> standing(String leadMessageId) {
            return Optional.empty();
        }

        @Override
        public List<DispositionChange> history(String leadMessageId) {
            return List.of();
        }
    };
}
