package dev.replyclock.poll;

import dev.replyclock.alert.AlertEvent;
import dev.replyclock.alert.AlertRouting;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.report.Results;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Re-evaluates the leads against the clock so that {@code pending → at_risk → breached} are recorded on
 * time even when no mail arrives. With results that tell of their changes (the live analysis), a tick after the
 * first evaluates only the leads changed since and those whose state steps by now ({@link LeadSchedule}), so its
 * cost does not grow with the number of stored leads. Each transition is stored once, with the instant it happened; with alert routing,
 * the alerts it raises are enqueued in the same transaction.
 */
public final class SlaTicker {

    private static final Logger LOG = LoggerFactory.getLogger(SlaTicker.class);

    private final Store store;
    private final Results results;
    private final Clock clock;
    /** Null: transitions only, no alerts. */
    private final AlertRouting routing;
    /** Last recorded state per kind and lead message id, so a tick writes only changes (and builds no keys). */
    private final Map<String, Map<String, SlaState>> recorded = Map.of(Store.FIRST_RESPONSE, new HashMap<>(),
            Store.ATTEMPTS, new HashMap<>());
    private boolean seeded;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Changes told by the results since the last tick, when they tell (the poll thread adds, the tick drains). */
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private final boolean watching;
    /** Null until the first tick, which evaluates every lead; later ticks evaluate only changed and due leads. */
    private LeadSchedule schedule;

    /** Told of each transition when it is first stored (never again after a restart) and of the end of each tick. */
    public interface Listener {
        /** @param firstOfKind whether this is the lead's first stored transition of that kind (the lead was just detected) */
        void transitionStored(Lead lead, String kind, SlaState state, Instant at, boolean firstOfKind);

        /** Called after each tick with the instant the tick evaluated, e.g. to refresh cached figures. */
        void ticked(Instant now);
    }

    public SlaTicker(Store store, Results results, Clock clock) {
        this(store, results, clock, null);
    }

    public SlaTicker(Store store, Results results, Clock clock, AlertRouting routing) {
        this.store = store;
        this.results = results;
        this.clock = clock;
        this.routing = routing;
        this.watching = results.watch((stale, leads) -> changes.add(() -> schedule.update(stale, leads)));
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Records the transitions that happened by now; returns how many were recorded. A store that cannot write
     * (full) ends the recording for this tick: what is missing is recorded by a later tick, with the instant it
     * happened; the listeners are told of the tick regardless (the figures come from the analysis, not the store).
     */
    public synchronized int tick() {
        Instant now = clock.instant();
        int recordedNow = 0;
        try {
            List<Lead> toEvaluate = leadsToEvaluate(now);
            if (!seeded) { // the store's latest states, read at once: the first tick then writes only changes
                java.util.Set<String> ids = new java.util.HashSet<>();
                toEvaluate.forEach(l -> ids.add(l.leadMessageId()));
                recorded.forEach((kind, states) -> store.latestStates(kind).forEach((id, state) -> {
                    if (ids.contains(id)) { // final leads (outside the read model's horizon) are not kept
                        states.put(id, state);
                    }
                }));
                seeded = true;
            }
            for (Lead lead : toEvaluate) {
                SlaState first = lead.firstResponseState(now);
                if (record(lead, Store.FIRST_RESPONSE, first, firstResponseInstant(lead, first, now), now)) {
                    recordedNow++;
                }
                SlaState attempts = lead.attemptsState(now);
                if (attempts != null && record(lead, Store.ATTEMPTS, attempts, attemptsInstant(lead, attempts, now), now)) {
                    recordedNow++;
                }
                if (schedule != null) {
                    schedule.evaluated(lead, now);
                }
            }
        } catch (StoreException e) {
            LOG.warn("SLA tick: transitions not recorded yet (tried again at the next tick): {}", e.getMessage());
        }
        for (Listener listener : listeners) {
            listener.ticked(now);
        }
        return recordedNow;
    }

    /**
     * Every lead when the results cannot tell of changes, and at the first tick; then the leads changed since the
     * last tick and those whose state steps by now (a lead a failed tick did not reach stays to be evaluated).
     */
    private List<Lead> leadsToEvaluate(Instant now) {
        if (!watching) {
            return results.leads();
        }
        if (schedule == null) {
            changes.clear(); // leads() below holds them all; one arriving meanwhile is evaluated twice, harmlessly
            schedule = new LeadSchedule();
            schedule.replaceAll(results.leadsThatMayChange());
        }
        for (Runnable change = changes.poll(); change != null; change = changes.poll()) {
            change.run();
        }
        return schedule.toEvaluate(now);
    }

    private boolean record(Lead lead, String kind, SlaState state, Instant at, Instant now) {
        Map<String, SlaState> recordedOfKind = recorded.get(kind);
        if (recordedOfKind.get(lead.leadMessageId()) == state) {
            return false;
        }
        boolean stored;
        if (routing == null) {
            stored = store.recordState(lead.leadMessageId(), kind, state, at);
        } else {
            String event = AlertEvent.of(kind, state);
            // No alert while a disposition stands or once the lead has expired (SPEC section 14); the state is recorded.
            List<String> channels = lead.alertable(now) ? routing.channels(event, lead.mailboxId(), lead.teamId(), at, now)
                    : List.of();
            stored = store.recordStateAndEnqueue(lead.leadMessageId(), kind, state, at, event, channels, now);
        }
        recordedOfKind.put(lead.leadMessageId(), state); // after the commit: a failed transaction is tried again at the next tick
        if (stored && !listeners.isEmpty()) {
            boolean first = store.transitions(lead.leadMessageId()).stream().filter(t -> t.kind().equals(kind)).count() == 1;
            for (Listener listener : listeners) {
                listener.transitionStored(lead, kind, state, at, first);
            }
        }
        return stored;
    }

    /** When the first-response state began: the answer, the deadline, the warning, or the lead's start. */
    static Instant firstResponseInstant(Lead lead, SlaState state, Instant now) {
        return switch (state) {
            case MET -> lead.firstResponse().at();
            case BREACHED -> lead.firstResponse() != null ? lead.firstResponse().at() : lead.deadline();
            case AT_RISK -> lead.atRiskFrom();
            case PENDING -> lead.start();
        };
    }

    /** The attempts part is met by messages whose instant the lead does not keep: the tick's time stands for it. */
    static Instant attemptsInstant(Lead lead, SlaState state, Instant now) {
        return switch (state) {
            case BREACHED -> lead.attemptsWindowEnd();
            case PENDING -> lead.start();
            case MET, AT_RISK -> now;
        };
    }
}
