package dev.replyclock.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text exposition, parsed for assertions. */
public record Samples(List<Sample> all) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public static Samples parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity"))));
        }
        return new Samples(out);
    }

    public List<Sample> named(String name) {
        return all.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample with exactly these labels, if any. */
    public Optional<Double> value(String name, String... labelPairs) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            want.put(labelPairs[i], labelPairs[i + 1]);
        }
        return all.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).map(Sample::value).findFirst();
    }

    public double get(String name, String... labelPairs) {
        return value(name, labelPairs).orElseThrow(() -> new AssertionError("no sample " + name + " " + List.of(labelPairs)
                + "; have " + named(name)));
    }
}
