package dev.replyclock.report;

import dev.replyclock.domain.Lead;

import java.util.Optional;

/** Results that find one lead by its message id without listing every lead (the read model: memory, else the store). */
public interface LeadsById {

    Optional<Lead> lead(String leadMessageId);
}
