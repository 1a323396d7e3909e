package dev.replyclock.web.pages;

import dev.replyclock.web.auth.Access;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * {@code GET /wall/enroll?token=…} shows a form that the page's script submits at once; {@code POST /wall/enroll}
 * uses the one-time link and sends the browser on to {@code /wall}. The link is used by the POST, not the GET, so a
 * chat app fetching a preview of the link does not use it up.
 */
public final class WallEnrollPage {

    private final Access access;

    public WallEnrollPage(Access access) {
        this.access = access;
    }

    public void form(Context ctx) {
        String token = ctx.queryParam("token");
        ctx.header("Cache-Control", "no-store");
        ctx.html(Html.page("Show the wall on this screen", null, "", false,
                "<form method=\"post\" action=\"/wall/enroll\" class=\"login\" data-autosubmit><input type=\"hidden\" "
                        + "name=\"token\" value=\"" + Html.esc(token == null ? "" : token) + "\"><p>This browser will show "
                        + "the wall from now on, without a login.</p><button type=\"submit\">Show the wall</button></form>"));
    }

    public void submit(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Optional<String> device = access.enrollWallDevice(ctx);
        if (device.isPresent()) {
            ctx.redirect("/wall", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.status(410);
        ctx.html(Html.page("Link used or expired", null, "", false,
                "<p class=\"error\">This wall link was already used, has expired or was revoked. Ask an admin for a new "
                        + "one (<code>replyclock wall-link</code>).</p>"));
    }
}
