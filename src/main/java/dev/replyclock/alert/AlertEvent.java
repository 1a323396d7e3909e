package dev.replyclock.alert;

import dev.replyclock.domain.SlaState;
import dev.replyclock.store.Store;

/** The alert events of a channel's {@code events} list (issue 6). */
public final class AlertEvent {

    public static final String AT_RISK = "at_risk";
    public static final String BREACHED = "breached";
    public static final String ATTEMPTS_BREACHED = "attempts_breached";
    public static final String SYNC_FAILING = "sync_failing";
    public static final String DIGEST = "digest";

    private AlertEvent() {
    }

    /** The event a recorded SLA transition raises, or null (pending and met raise none). */
    public static String of(String kind, SlaState state) {
        if (Store.FIRST_RESPONSE.equals(kind)) {
            return switch (state) {
                case AT_RISK -> AT_RISK;
                case BREACHED -> BREACHED;
                default -> null;
            };
        }
        return state == SlaState.BREACHED ? ATTEMPTS_BREACHED : null;
    }
}
