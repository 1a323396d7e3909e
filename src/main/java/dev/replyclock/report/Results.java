package dev.replyclock.report;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;

import java.util.List;

/** What every output (JSON, table, CSV, API, metrics) reads: one computation, several views. */
public interface Results {

    Config config();

    Counts counts();

    /** Sorted by start, then lead message id (SPEC section 12). */
    List<Lead> leads();

    /** Sorted by opening, then message id (SPEC section 12). */
    List<Wait> waits();
}
