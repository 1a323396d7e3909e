package dev.replyclock.domain;

import java.util.Locale;

/** SLA states of SPEC section 9, written in lower case in reports. */
public enum SlaState {
    PENDING, AT_RISK, BREACHED, MET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
