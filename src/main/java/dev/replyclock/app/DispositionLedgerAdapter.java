package dev.replyclock.app;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;
import dev.replyclock.poll.LeadDispositions;
import dev.replyclock.web.DispositionLedger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The pages' and API's view of {@link LeadDispositions}: web never imports poll or store. */
record DispositionLedgerAdapter(LeadDispositions dispositions) implements DispositionLedger {

    @Override
    public void set(Disposition disposition) {
        dispositions.set(disposition);
    }

    @Override
    public Optional<Disposition> withdraw(String leadMessageId, String who, Instant at) {
        return dispositions.withdraw(leadMessageId, who, at);
    }

    @Override
    public Optional<Disposition> standing(String leadMessageId) {
        return dispositions.standing(leadMessageId);
    }

    @Override
    public List<DispositionChange> history(String leadMessageId) {
        return dispositions.history(leadMessageId);
    }
}
