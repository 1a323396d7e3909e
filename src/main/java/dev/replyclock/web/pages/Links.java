package dev.replyclock.web.pages;

import dev.replyclock.figures.Period;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a page carries to the pages and downloads it links to (its instant and period), and its period selector. */
final class Links {

    /** The parameters a link keeps: {@code now} (a page at a fixed instant) and the period. */
    static final List<String> CARRIED = List.of("now", "period", "window", "from", "to");

    private Links() {
    }

    /** {@code ?now=…&period=…} of this request, or "". */
    static String query(Context ctx) {
        return query(ctx, CARRIED);
    }

    /** Only {@code ?now=…}: for pages whose figures have no period (a lead). */
    static String nowOnly(Context ctx) {
        return query(ctx, List.of("now"));
    }

    private static String query(Context ctx, List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String name : names) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isEmpty()) {
                b.append(b.length() == 0 ? '?' : '&').append(name).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    /** The same query with {@code format=csv} added: a download of the figures on the page, for its period. */
    static String csv(Context ctx, String path) {
        String q = query(ctx);
        return path + (q.isEmpty() ? "?" : q + "&") + "format=csv";
    }

    /**
     * A GET form choosing the period (kept in the URL): today, 7 days, 30 days, this month, last month, all, or
     * custom dates; {@code hidden} parameters (e.g. the team filter) ride along.
     */
    static String selector(Context ctx, Period current, String... hidden) {
        StringBuilder b = new StringBuilder("<form class=\"period-selector\" method=\"get\"><label>Period <select name=\"period\">");
        String selected = current.name().matches("[0-9]+d") && !List.of("7d", "30d").contains(current.name()) ? "custom" : current.name();
        for (String[] option : new String[][]{{"today", "Today"}, {"7d", "Last 7 days"}, {"30d", "Last 30 days"},
                {"month", "This month"}, {"last_month", "Last month"}, {"all", "All time"}, {"custom", "Custom dates"}}) {
            b.append("<option value=\"").append(option[0]).append('"').append(option[0].equals(selected) ? " selected" : "")
                    .append('>').append(Html.esc(option[1])).append("</option>");
        }
        b.append("</select></label> <label>from <input type=\"date\" name=\"from\" value=\"").append(Html.esc(date(ctx, "from")))
                .append("\"></label> <label>to <input type=\"date\" name=\"to\" value=\"").append(Html.esc(date(ctx, "to")))
                .append("\"></label>");
        for (String name : hidden) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isEmpty()) {
                b.append("<input type=\"hidden\" name=\"").append(Html.esc(name)).append("\" value=\"").append(Html.esc(v)).append("\">");
            }
        }
        String now = ctx.queryParam("now");
        if (now != null && !now.isEmpty()) {
            b.append("<input type=\"hidden\" name=\"now\" value=\"").append(Html.esc(now)).append("\">");
        }
        return b.append(" <button type=\"submit\">Show</button> <span id=\"period-label\">Showing ")
                .append(Html.esc(current.label())).append("</span></form>").toString();
    }

    private static String date(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.length() < 10 ? "" : v.substring(0, 10);
    }
}
