package dev.replyclock.figures;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views ({@code web}, {@code metrics}, {@code alert}) reach the engine's figures only through the query layer:
 * they import nothing of {@code sla} but the type of a calendar handed out by {@link Directory}, never the results or
 * analyses of {@code report}, and never compute a percentile, a compliance or a calendar of their own.
 */
class FiguresOnlyThroughLayerTest {

    private static final Path MAIN = Path.of("src/main/java/dev/replyclock");
    private static final List<String> VIEWS = List.of("web", "metrics", "alert");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("dev\\.replyclock\\.(sla|report)\\.\\w+");

    /** Engine types a view may name: a calendar obtained from {@link Directory}, report formatting, the §10 record. */
    private static final List<String> ALLOWED = List.of("dev.replyclock.sla.BusinessCalendar", "dev.replyclock.report.ReportJson",
            "dev.replyclock.report.ReportCsv", "dev.replyclock.report.LeadStats");

    /** The one exception: {@code GET /api/report} serves the SPEC section 12 report itself, not figures. */
    private static final Map<String, String> EXCEPTIONS = Map.of("web/HttpServer.java", "dev.replyclock.report.Results");

    /** Computing instead of reading: a view must not do these. */
    private static final List<Pattern> COMPUTING = Stream.of("LeadStats\\.of\\(", "nearestRank\\(", "new BusinessCalendar\\(",
            "new Roster\\(", "new Attribution\\(", "\\.business(Seconds|Time)\\(\\s*[^)\\s]").map(Pattern::compile).toList();

    @Test
    void viewsReadFiguresOnlyThroughTheQueryLayer() throws IOException {
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (String view : VIEWS) {
            try (Stream<Path> walk = Files.walk(MAIN.resolve(view))) {
                for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    problems.addAll(problems(MAIN.relativize(file).toString().replace('\\', '/'), Files.readString(file)));
                }
            }
        }
        assertTrue(files > 20, "scanned " + files + " files");
        assertEquals(List.of(), problems);
    }

    @Test
    void theScanFindsAViewThatComputesItsOwnFigure() {
        String planted = """
                package dev.replyclock.web;
                import dev.replyclock.report.Results;
                import dev.replyclock.sla.Roster;
                class Planted {
                    Object f(Results r) { return dev.replyclock.report.LeadStats.of(r.leads(), null); }
                    long g(dev.replyclock.sla.BusinessCalendar c) { return c.businessSeconds(null, null); }
                }
                """;
        assertEquals(4, problems("web/Planted.java", planted).size(), problems("web/Planted.java", planted).toString());
    }

    static List<String> problems(String file, String source) {
        List<String> out = new ArrayList<>();
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            check(file, imports.group(2), out);
        }
        String code = source.replaceAll("(?m)^import .*$", "");
        Matcher qualified = QUALIFIED.matcher(code);
        while (qualified.find()) {
            check(file, qualified.group(), out);
        }
        for (Pattern call : COMPUTING) {
            Matcher m = call.matcher(code);
            if (m.find()) {
                out.add(file + " computes: " + m.group());
            }
        }
        return out;
    }

    private static void check(String file, String name, List<String> out) {
        boolean engine = name.startsWith("dev.replyclock.sla.") || name.startsWith("dev.replyclock.report.");
        if (engine && !ALLOWED.contains(name) && !name.equals(EXCEPTIONS.get(file))) {
            out.add(file + " uses " + name);
        }
    }
}
