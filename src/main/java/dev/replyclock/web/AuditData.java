package dev.replyclock.web;

import dev.replyclock.config.AccessConfig;
import dev.replyclock.config.Config;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Figures;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * What the audit API and pages read: the query layer ({@link Figures}, where every figure is defined) and the
 * recorded state changes of leads. Nothing here computes a figure.
 */
public final class AuditData {

    /**
     * A recorded SLA state change of a lead ({@code kind} first_response or attempts); {@code app} maps the
     * store's records to these, so that web never imports the store.
     */
    public record Transition(String kind, SlaState state, Instant at) {
    }

    private final Figures figures;
    private final Function<String, List<Transition>> transitions;

    public AuditData(Figures figures, Function<String, List<Transition>> transitions) {
        this.figures = figures;
        this.transitions = transitions;
    }

    public Figures figures() {
        return figures;
    }

    public Directory directory() {
        return figures.directory();
    }

    public Config config() {
        return figures.config();
    }

    public List<Transition> transitions(String leadMessageId) {
        return transitions.apply(leadMessageId);
    }

    /** A rep as this principal may see them: a stable pseudonym for viewers under {@code rep_names: pseudonymous}. */
    public static String repLabel(String rep, Principal who, Access access) {
        if (rep == null || !access.pseudonymousReps() || who.role() != AccessConfig.Role.VIEWER) {
            return rep;
        }
        return "rep-" + HexFormat.of().formatHex(Access.sha256(rep)).substring(0, 8);
    }
}
