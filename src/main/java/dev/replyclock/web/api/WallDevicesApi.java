package dev.replyclock.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.config.AccessConfig;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.CredentialStore;
import dev.replyclock.web.auth.Principal;
import dev.replyclock.web.auth.WallDevices;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin-only: {@code POST /api/wall-links} (a one-time link for a named wall device), {@code GET /api/wall-devices},
 * {@code DELETE /api/wall-devices/{name}} (revokes it at once).
 */
public final class WallDevicesApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Access access;
    private final String publicUrl;

    public WallDevicesApi(Access access, String publicUrl) {
        this.access = access;
        this.publicUrl = publicUrl;
    }

    /** Body {@code {"name": "lobby-tv"}} (or {@code ?name=}); answers 201 with the URL to open on the TV. */
    public void createLink(Context ctx, Principal who) {
        admin(ctx, who);
        String name = name(ctx);
        WallDevices.invalidName(name).ifPresent(why -> {
            throw ApiError.badParameter("name", why);
        });
        WallDevices.Link link = access.wallDevices().createLink(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", link.name());
        body.put("url", link.url(base(ctx)));
        body.put("expires_at", ReportJson.instant(link.expires()));
        ctx.status(201);
        Output.json(ctx, body);
    }

    public void list(Context ctx, Principal who) {
        admin(ctx, who);
        List<Map<String, Object>> devices = access.wallDevices().list().stream().map(WallDevicesApi::row).toList();
        Output.json(ctx, Map.of("devices", devices));
    }

    public void revoke(Context ctx, Principal who) {
        admin(ctx, who);
        String name = ctx.pathParam("name");
        if (!access.wallDevices().revoke(name)) {
            throw ApiError.notFound("no wall device '" + name + "'");
        }
        ctx.status(204);
    }

    private void admin(Context ctx, Principal who) {
        if (!access.enabled()) {
            throw new ApiError(409, null, "no auth is configured, so /wall is open to everyone and needs no device credential");
        }
        if (who.role() != AccessConfig.Role.ADMIN) {
            throw ApiError.forbidden("wall devices are managed by admins");
        }
        if (!"GET".equals(ctx.method().name())) {
            access.requireCsrf(ctx);
        }
    }

    private static String name(Context ctx) {
        String name = ctx.queryParam("name");
        if (name != null) {
            return name;
        }
        String body = ctx.body();
        if (body.isBlank()) {
            throw ApiError.badParameter("name", "missing: send {\"name\": \"lobby-tv\"} or ?name=");
        }
        try {
            JsonNode node = JSON.readTree(body).get("name");
            return node == null || !node.isTextual() ? null : node.asText();
        } catch (IOException e) {
            throw ApiError.badParameter("name", "the body is not JSON: send {\"name\": \"lobby-tv\"}");
        }
    }

    private String base(Context ctx) {
        String base = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static Map<String, Object> row(CredentialStore.Device d) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", d.name());
        row.put("enrolled_at", ReportJson.instant(d.created()));
        row.put("last_seen_at", ReportJson.instant(d.lastSeen()));
        return row;
    }
}
