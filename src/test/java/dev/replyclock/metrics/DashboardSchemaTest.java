package dev.replyclock.metrics;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both dashboards type-check against @grafana/schema 13.2.3 with {@code tsc --noEmit --strict} (grafana/schema-check). */
class DashboardSchemaTest {

    @Test
    void dashboardsMatchGrafanaSchemaTypes() throws Exception {
        Process process = new ProcessBuilder("bash", "grafana/schema-check/check.sh").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "schema check did not finish:\n" + output);
        assertEquals(0, process.exitValue(), "grafana/schema-check/check.sh failed:\n" + output);
    }
}
