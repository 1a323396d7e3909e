package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.web.api.DispositionsApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

/**
 * The lead page's disposition forms: {@code POST /leads/{id}/disposition} and {@code .../withdraw}, CSRF-checked,
 * then back to the lead page (303). The rules and their checks are those of {@link DispositionsApi}.
 */
public final class DispositionForms {

    private final DispositionsApi api;
    private final Access access;

    public DispositionForms(DispositionsApi api, Access access) {
        this.api = api;
        this.access = access;
    }

    public void set(Context ctx, Principal who) {
        access.requireCsrf(ctx);
        Lead lead = api.leadFor(ctx.pathParam("id"), who);
        api.set(lead, new DispositionsApi.Request(ctx.formParam("kind"), ctx.formParam("reason"), ctx.formParam("note"),
                ctx.formParam("at"), ctx.formParam("rep")), who);
        backToLead(ctx, lead);
    }

    public void withdraw(Context ctx, Principal who) {
        access.requireCsrf(ctx);
        Lead lead = api.leadFor(ctx.pathParam("id"), who);
        api.withdraw(lead, who);
        backToLead(ctx, lead);
    }

    private static void backToLead(Context ctx, Lead lead) {
        ctx.status(303).header("Location", "/leads/" + Html.seg(lead.leadMessageId()));
    }
}
