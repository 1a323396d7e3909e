package dev.replyclock.deploy;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose profile {@code ha}: PostgreSQL and two Replyclock instances on it, each reading the example configuration
 * (which passes Replyclock's validation with its store on the compose service), scraped one by one by Prometheus.
 * ({@code docker-compose config} of both profiles runs in .ci/run.)
 */
class ComposeHaProfileTest {

    private static final Path COMPOSE = Path.of("deploy/compose");

    @Test
    @SuppressWarnings("unchecked")
    void theHaProfileRunsTwoInstancesOnPostgresqlAndPrometheusScrapesBoth() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        for (String name : List.of("postgres", "replyclock-a", "replyclock-b")) {
            assertEquals(List.of("ha"), services.get(name).get("profiles"), name + " only in the ha profile");
        }
        for (String name : List.of("replyclock", "prometheus", "alertmanager", "grafana")) {
            assertTrue(!services.get(name).containsKey("profiles"), name + " in the default profile");
        }
        for (String name : List.of("replyclock-a", "replyclock-b")) {
            Map<String, Object> instance = services.get(name);
            assertEquals("run --config /etc/replyclock/ha.yaml", instance.get("command"));
            assertTrue(((Map<String, Object>) instance.get("depends_on")).containsKey("postgres"));
            assertTrue(((List<String>) instance.get("environment")).contains("PGPASSWORD"));
        }
        assertTrue(Files.isRegularFile(Path.of("deploy/postgres/Dockerfile")));

        Map<String, Object> prometheus = new Yaml().load(Files.readString(COMPOSE.resolve("prometheus-ha.yml")));
        String scrape = prometheus.get("scrape_configs").toString();
        assertTrue(scrape.contains("replyclock-a:9465") && scrape.contains("replyclock-b:9465"), scrape);
    }

    @Test
    void theExampleConfigurationPassesValidationWithItsStoreOnTheComposeService() throws IOException {
        Config config = ConfigLoader.load(COMPOSE.resolve("ha.example.yaml"),
                n -> n.equals("IMAP_PASSWORD") || n.equals("PGPASSWORD") ? "secret" : null);
        assertTrue(config.store().isPostgres());
        assertEquals("jdbc:postgresql://postgres:5432/replyclock", config.store().url());
        assertEquals("replyclock", config.store().username());
    }
}
