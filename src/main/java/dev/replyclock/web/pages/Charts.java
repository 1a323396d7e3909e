package dev.replyclock.web.pages;

import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Heatmap;
import dev.replyclock.figures.SpeedToLead;
import dev.replyclock.figures.WeekPoint;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Server-rendered charts (SVG and tables, no script): weekly trends, speed to lead, the arrival heatmap. */
final class Charts {

    private static final DateTimeFormatter WEEK = DateTimeFormatter.ofPattern("d MMM", Locale.ROOT);
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final int W = 560;
    private static final int H = 170;
    private static final int LEFT = 52;
    private static final int TOP = 14;
    private static final int PLOT_H = 120;

    private Charts() {
    }

    /**
     * Two line charts of a 12-week trend: first-response compliance (against the target) and the median first
     * response in business time (against the first_response target).
     */
    static String trend(String id, String title, List<WeekPoint> weeks, Duration medianTarget, double complianceTarget) {
        StringBuilder b = new StringBuilder("<figure class=\"trend\" id=\"").append(Html.esc(id)).append("\"><figcaption>")
                .append(Html.esc(title)).append(" <span class=\"period\">(weekly, last ").append(weeks.size()).append(" weeks)</span></figcaption>");
        double[] compliance = new double[weeks.size()];
        double[] median = new double[weeks.size()];
        double maxMedian = medianTarget == null ? 1 : medianTarget.toSeconds() * 1.25;
        for (int i = 0; i < weeks.size(); i++) {
            compliance[i] = weeks.get(i).stats().compliance().orElse(Double.NaN);
            median[i] = weeks.get(i).stats().medianBusinessSeconds().isPresent()
                    ? weeks.get(i).stats().medianBusinessSeconds().getAsLong() : Double.NaN;
            if (!Double.isNaN(median[i])) {
                maxMedian = Math.max(maxMedian, median[i]);
            }
        }
        b.append(line("compliance", "Compliance", weeks, compliance, 1.0, complianceTarget,
                v -> Math.round(v * 100) + " %"));
        b.append(line("median", "Median first response (business)", weeks, median, Math.max(1, maxMedian),
                medianTarget == null ? Double.NaN : medianTarget.toSeconds(), v -> Html.dur(Math.round(v))));
        return b.append("</figure>").toString();
    }

    private interface Label {
        String of(double v);
    }

    private static String line(String kind, String name, List<WeekPoint> weeks, double[] values, double max, double target, Label label) {
        StringBuilder b = new StringBuilder("<svg class=\"chart line ").append(kind).append("\" viewBox=\"0 0 ").append(W).append(' ')
                .append(H).append("\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"")
                .append(Html.esc(name)).append(" per week\">");
        double step = (W - LEFT - 10) / (double) Math.max(1, weeks.size() - 1);
        b.append("<text class=\"axis\" x=\"2\" y=\"").append(TOP + 4).append("\">").append(Html.esc(label.of(max))).append("</text>")
                .append("<text class=\"axis\" x=\"2\" y=\"").append(TOP + PLOT_H).append("\">").append(Html.esc(label.of(0))).append("</text>")
                .append("<line class=\"frame\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP + PLOT_H).append("\" x2=\"").append(W - 10)
                .append("\" y2=\"").append(TOP + PLOT_H).append("\"></line>");
        if (!Double.isNaN(target)) {
            int y = y(target, max);
            b.append("<line class=\"target\" x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(W - 10)
                    .append("\" y2=\"").append(y).append("\"></line><text class=\"axis target-label\" x=\"").append(W - 10).append("\" y=\"").append(y - 4)
                    .append("\" text-anchor=\"end\">target ")
                    .append(Html.esc(label.of(target))).append("</text>");
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            int x = (int) Math.round(LEFT + i * step);
            if (i % 2 == (values.length - 1) % 2) {
                b.append("<text class=\"axis\" x=\"").append(x - 16).append("\" y=\"").append(H - 8).append("\">")
                        .append(Html.esc(WEEK.format(weeks.get(i).monday()))).append("</text>");
            }
            if (Double.isNaN(values[i])) {
                continue;
            }
            int y = y(values[i], max);
            path.append(path.length() == 0 ? "M" : " L").append(x).append(' ').append(y);
            b.append("<circle class=\"point\" cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"4\" data-week=\"")
                    .append(weeks.get(i).monday()).append("\" data-value=\"").append(values[i]).append("\"><title>week of ")
                    .append(Html.esc(WEEK.format(weeks.get(i).monday()))).append(": ").append(Html.esc(label.of(values[i])))
                    .append(", ").append(weeks.get(i).stats().leads()).append(" leads</title></circle>");
        }
        if (path.length() > 0) {
            b.append("<path class=\"series\" d=\"").append(path).append("\"></path>");
        }
        return b.append("</svg>").toString();
    }

    private static int y(double v, double max) {
        return (int) Math.round(TOP + PLOT_H - Math.min(1, v / max) * PLOT_H);
    }

    /** Speed to lead as a table with bars: business time, wall-clock time beside it, and the unanswered. */
    static String speed(SpeedToLead s) {
        int total = s.answered() + s.unanswered();
        StringBuilder b = new StringBuilder("<table id=\"speed\" class=\"speed\"><thead><tr><th>First response</th>")
                .append("<th>Business time</th><th>Wall-clock time</th></tr></thead><tbody>");
        for (int i = 0; i < SpeedToLead.LABELS.size(); i++) {
            b.append("<tr data-bucket=\"").append(i).append("\"><td>").append(Html.esc(SpeedToLead.LABELS.get(i))).append("</td>")
                    .append(bar("business", s.business()[i], total)).append(bar("wall", s.wall()[i], total)).append("</tr>");
        }
        b.append("<tr data-bucket=\"unanswered\"><td>unanswered</td>").append(bar("business", s.unanswered(), total))
                .append(bar("wall", s.unanswered(), total)).append("</tr>");
        return b.append("</tbody></table>").toString();
    }

    private static String bar(String field, int count, int total) {
        int pct = total == 0 ? 0 : (int) Math.round(count * 100.0 / total);
        return "<td class=\"bar\" data-field=\"" + field + "\" data-count=\"" + count + "\"><span class=\"b w" + (pct / 5 * 5)
                + "\"></span> " + count + " <span class=\"pct\">(" + pct + " %)</span></td>";
    }

    /** The heatmap as a table: weekday rows, hour columns, shade by count, closed hours hatched. */
    static String heatmap(Heatmap h) {
        int max = Math.max(1, h.max());
        StringBuilder b = new StringBuilder("<table id=\"heatmap\" class=\"heatmap\"><caption>Lead arrivals by weekday and hour, ")
                .append(Html.esc(h.zone().getId())).append(" ").append(Html.periodNote(h.period())).append(": ")
                .append(h.outsideHours()).append(" outside open hours (hatched)</caption><thead><tr><th></th>");
        for (int hour = 0; hour < 24; hour++) {
            b.append("<th>").append(hour).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int d = 0; d < 7; d++) {
            b.append("<tr><th>").append(DAYS[d]).append("</th>");
            for (int hour = 0; hour < 24; hour++) {
                int c = h.counts()[d][hour];
                int level = c == 0 ? 0 : 1 + Math.min(4, c * 4 / max);
                b.append("<td class=\"l").append(level).append(h.open()[d][hour] ? " open" : " closed").append("\" title=\"")
                        .append(DAYS[d]).append(' ').append(hour).append(":00, ").append(c).append(" leads")
                        .append(h.open()[d][hour] ? "" : ", closed").append("\">").append(c == 0 ? "" : c).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }
}
