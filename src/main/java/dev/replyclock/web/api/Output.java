package dev.replyclock.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.ReportCsv;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers as JSON (Jackson escapes every string) or as CSV ({@link ReportCsv#cell} neutralises formulas). */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Output() {
    }

    public static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json; charset=utf-8").result(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One header row, then one row per item; nested maps are flattened as {@code outer_inner}. */
    public static void csv(Context ctx, String name, List<String> header, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        row(out, header);
        for (Map<String, Object> r : rows) {
            Map<String, Object> flat = flatten(r);
            List<String> cells = new ArrayList<>(header.size());
            for (String column : header) {
                Object v = flat.get(column);
                cells.add(v == null ? "" : String.valueOf(v));
            }
            row(out, cells);
        }
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                .result(out.toString());
    }

    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(ReportCsv.cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static Map<String, Object> flatten(Map<String, Object> row) {
        Map<String, Object> flat = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                nested.forEach((k2, v2) -> flat.put(k + "_" + k2, v2));
            } else if (v instanceof List<?> list) {
                flat.put(k, String.join(" ", list.stream().map(String::valueOf).toList()));
            } else {
                flat.put(k, v);
            }
        });
        return flat;
    }

    /** SPEC section 10 figures; an empty set gives null, never 0. */
    public static Map<String, Object> stats(LeadStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leads", s.leads());
        m.put("answered", s.answered());
        m.put("median_business_seconds", s.medianBusinessSeconds().isPresent() ? s.medianBusinessSeconds().getAsLong() : null);
        m.put("p90_business_seconds", s.p90BusinessSeconds().isPresent() ? s.p90BusinessSeconds().getAsLong() : null);
        m.put("compliance", ratio(s.compliance()));
        return m;
    }

    /** A ratio to four places; null without data. */
    public static Double ratio(java.util.OptionalDouble r) {
        return r.isPresent() ? Math.round(r.getAsDouble() * 10000) / 10000.0 : null;
    }

    /** A period as the API writes it: its name, label and ends ({@code from}/{@code to}, null when open). */
    public static Map<String, Object> period(dev.replyclock.figures.Period p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", p.from() == null ? null : dev.replyclock.report.ReportJson.instant(p.from()));
        m.put("to", p.to() == null ? null : dev.replyclock.report.ReportJson.instant(p.to()));
        m.put("name", p.name());
        m.put("label", p.label());
        return m;
    }
}
