package dev.replyclock.web;

import dev.replyclock.config.AccessConfig;
import dev.replyclock.figures.Figures;
import dev.replyclock.web.api.DispositionsApi;
import dev.replyclock.web.api.LeadsApi;
import dev.replyclock.web.api.Output;
import dev.replyclock.web.api.RepsApi;
import dev.replyclock.web.api.TeamsApi;
import dev.replyclock.web.api.WallDevicesApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.CredentialStore;
import dev.replyclock.web.auth.Principal;
import dev.replyclock.web.auth.WallDevices;
import dev.replyclock.web.pages.DispositionForms;
import dev.replyclock.web.pages.Html;
import dev.replyclock.web.pages.LoginPage;
import dev.replyclock.web.pages.Pages;
import dev.replyclock.web.pages.WallEnrollPage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The managers' audit: JSON/CSV API under {@code /api/}, server-rendered pages, login. Every route is declared
 * in {@link #register}; {@code /healthz}, {@code /readyz}, {@code /metrics}, {@code /login} and
 * {@code /static/} need no login, everything else does once {@code auth} is configured.
 */
public final class AuditRoutes {

    private static final String PRINCIPAL = "replyclock.principal";

    private final Access access;
    private final LeadsApi leads;
    private final RepsApi reps;
    private final TeamsApi teams;
    private final Pages pages;
    private final LoginPage login;
    private final WallEnrollPage wallEnroll;
    private final WallDevicesApi wallDevices;
    private final DispositionsApi dispositions;
    private final DispositionForms dispositionForms;

    public AuditRoutes(Figures figures, Function<String, List<AuditData.Transition>> transitions, CredentialStore credentials,
                       Clock clock) {
        this(figures, transitions, DispositionLedger.NONE, credentials, clock);
    }

    public AuditRoutes(Figures figures, Function<String, List<AuditData.Transition>> transitions, DispositionLedger ledger,
                       CredentialStore credentials, Clock clock) {
        AuditData data = new AuditData(figures, transitions);
        this.access = new Access(figures.config().access(), figures.config().http().publicUrl(), credentials, clock);
        this.leads = new LeadsApi(data, clock, ledger);
        this.dispositions = new DispositionsApi(leads, ledger, figures.directory(), clock);
        this.dispositionForms = new DispositionForms(dispositions, access);
        this.reps = new RepsApi(figures, clock);
        this.teams = new TeamsApi(figures, clock);
        this.pages = new Pages(data, access, leads, reps, clock);
        this.login = new LoginPage(access);
        this.wallEnroll = new WallEnrollPage(access);
        this.wallDevices = new WallDevicesApi(access, figures.config().http().publicUrl());
    }

    public void register(RoutesConfig routes) {
        routes.before(this::authenticate);
        routes.get("/api/leads", as(leads::list));
        routes.get("/api/leads/{id}", as(leads::timeline));
        routes.put("/api/leads/{id}/disposition", as(this::changeDisposition));
        routes.delete("/api/leads/{id}/disposition", as(this::withdrawDisposition));
        routes.post("/leads/{id}/disposition", as(dispositionForms::set));
        routes.post("/leads/{id}/disposition/withdraw", as(dispositionForms::withdraw));
        routes.get("/api/reps", as(reps::list));
        routes.get("/api/reps/{rep}", as(reps::one));
        routes.get("/api/teams", as(teams::list));
        routes.get("/api/teams/{team}", as(teams::one));
        routes.get("/", as(pages::overview));
        routes.get("/teams/{team}", as(pages::team));
        routes.get("/reps/{rep}", as(pages::rep));
        routes.get("/leads/{id}", as(pages::lead));
        routes.get("/wall", as(pages::wall));
        routes.post("/logout", as(pages::logout));
        routes.get("/login", login::form);
        routes.post("/login", login::submit);
        routes.get(WallDevices.ENROLL_PATH, wallEnroll::form);
        routes.post(WallDevices.ENROLL_PATH, wallEnroll::submit);
        routes.post("/api/wall-links", as(wallDevices::createLink));
        routes.get("/api/wall-devices", as(wallDevices::list));
        routes.delete("/api/wall-devices/{name}", as(wallDevices::revoke));
        routes.get("/static/app.css", ctx -> Pages.asset(ctx, "app.css", "text/css"));
        routes.get("/static/app.js", ctx -> Pages.asset(ctx, "app.js", "text/javascript"));
        routes.exception(ApiError.class, this::error);
    }

    private static boolean isPublic(String path) {
        return path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")
                || path.equals("/login") || path.startsWith("/static/") || path.equals("/favicon.ico")
                || path.equals(WallDevices.ENROLL_PATH);
    }

    /** What a wall device may fetch: the wall page and what the wall loads for its refresh. */
    private static boolean isWall(String path) {
        return path.equals("/wall") || path.startsWith("/wall/") || path.startsWith("/api/wall/") || path.equals("/api/wall");
    }

    private void authenticate(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        if (!ctx.path().startsWith("/api/")) {
            ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
        }
        if (isPublic(ctx.path())) {
            return;
        }
        Principal who = access.resolve(ctx).orElseThrow(() -> new ApiError(401, null, "log in or send Authorization: Bearer <token>"));
        if (who.wallOnly() && !isWall(ctx.path())) {
            throw ApiError.forbidden("this browser is the wall device '" + who.name().substring("wall:".length())
                    + "': it shows /wall and nothing else; log in to see more");
        }
        if (ctx.path().equals("/api/report") && who.role() != AccessConfig.Role.ADMIN) {
            throw ApiError.forbidden("the full report is for admins");
        }
        ctx.attribute(PRINCIPAL, who);
    }

    private void changeDisposition(Context ctx, Principal who) {
        access.requireCsrf(ctx);
        dispositions.put(ctx, who);
    }

    private void withdrawDisposition(Context ctx, Principal who) {
        access.requireCsrf(ctx);
        dispositions.delete(ctx, who);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            default -> "Error " + status;
        };
    }

    private static Handler as(BiConsumer<Context, Principal> handler) {
        return ctx -> handler.accept(ctx, ctx.attribute(PRINCIPAL));
    }

    private void error(ApiError e, Context ctx) {
        if (e.status() == 401 && !ctx.path().startsWith("/api/")) {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (!ctx.path().startsWith("/api/") && !"csv".equals(ctx.queryParam("format"))) {
            ctx.status(e.status());
            String detail = e.getMessage() + (e.parameter() == null ? "" : " (parameter " + e.parameter() + ")");
            ctx.html(Html.page(title(e.status()), ctx.attribute(PRINCIPAL), "", false,
                    "<p class=\"error\" id=\"error\">" + Html.esc(detail) + "</p><p><a href=\"/\">Back to the overview</a></p>"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("parameter", e.parameter());
        ctx.status(e.status());
        Output.json(ctx, body);
    }
}
