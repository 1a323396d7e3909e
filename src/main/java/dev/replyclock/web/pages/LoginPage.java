package dev.replyclock.web.pages;

import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.LoginLimited;
import io.javalin.http.Context;

import java.util.Optional;

/** {@code GET /login} and {@code POST /login}: the form carries a CSRF token that must match its cookie. */
public final class LoginPage {

    private final Access access;

    public LoginPage(Access access) {
        this.access = access;
    }

    public void form(Context ctx) {
        show(ctx, ctx.queryParam("next"), null);
    }

    public void submit(Context ctx) {
        Optional<String> next;
        try {
            next = access.login(ctx);
        } catch (LoginLimited e) {
            ctx.status(429).header("Retry-After", Long.toString(e.retryAfterSeconds()));
            show(ctx, ctx.formParam("next"), "Too many failed logins. Try again in " + Html.dur(e.retryAfterSeconds()) + ".");
            return;
        }
        if (next.isPresent()) {
            ctx.redirect(next.get());
        } else {
            ctx.status(401);
            show(ctx, ctx.formParam("next"), "Wrong name or password.");
        }
    }

    private void show(Context ctx, String next, String error) {
        if (!access.enabled()) {
            ctx.redirect("/");
            return;
        }
        String token = access.loginFormToken(ctx);
        String body = (error == null ? "" : "<p class=\"error\">" + Html.esc(error) + "</p>")
                + "<form method=\"post\" action=\"/login\" class=\"login\"><input type=\"hidden\" name=\"csrf\" value=\""
                + Html.esc(token) + "\"><input type=\"hidden\" name=\"next\" value=\"" + Html.esc(next == null ? "/" : next)
                + "\"><label>Name <input name=\"name\" autocomplete=\"username\" required></label>"
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>"
                + "<button type=\"submit\">Log in</button></form>";
        ctx.html(Html.page("Log in", null, "", false, body));
    }
}
