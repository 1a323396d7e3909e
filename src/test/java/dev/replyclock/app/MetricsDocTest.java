package dev.replyclock.app;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.metrics.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code replyclock_*} name the service's {@code /metrics} serves is explained in docs/METRICS.md. */
class MetricsDocTest {

    @Test
    void everyMetricNameIsInMetricsMd(@TempDir Path dir) throws Exception {
        Path scenario = SharedFiles.scenarios().resolve("13-sla-states");
        Config config = ServiceMetricsTest.scenarioConfig(scenario, dir);
        String doc = Files.readString(Path.of("docs/METRICS.md"));
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> names = new TreeSet<>();
        try (Service service = Service.open(config, Clock.fixed(ServiceMetricsTest.scenarioNow(scenario), ZoneOffset.UTC))) {
            service.pollAll().forEach(o -> assertFalse(o.failed(), o.error()));
            for (Samples.Sample s : Samples.parse(service.metrics().scrape(null).body()).all()) {
                if (s.name().startsWith("replyclock_")) {
                    names.add(s.name());
                }
            }
        }
        for (String name : names) {
            String family = name;
            for (String suffix : List.of("_bucket", "_sum", "_count", "_max")) {
                if (family.endsWith(suffix) && doc.contains("`" + family.substring(0, family.length() - suffix.length()) + "`")) {
                    family = family.substring(0, family.length() - suffix.length());
                }
            }
            if (!doc.contains("`" + family + "`")) {
                missing.add(name);
            }
        }
        assertTrue(names.size() > 20, "the scrape serves the service's metrics: " + names);
        assertEquals(new TreeSet<>(), missing, "names served by /metrics but not explained in docs/METRICS.md");
    }
}
