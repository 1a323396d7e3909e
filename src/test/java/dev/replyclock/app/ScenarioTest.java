package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.JsonDiff;
import dev.replyclock.Scenarios;
import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.ReportJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every folder under ../shared/scenarios through the code path of {@code replyclock analyze}, against expected.json. */
class ScenarioTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyScenarioMatchesItsExpectedReport() throws IOException {
        List<Path> folders = Scenarios.folders();
        return folders.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> check(folder)));
    }

    private static void check(Path folder) throws IOException {
        Config config = ConfigLoader.load(folder.resolve("config.yaml"));
        Instant now = Instant.parse(Files.readString(folder.resolve("now")).strip());
        Analysis analysis = Analysis.of(config, new MailReader(config, new PrintStream(new ByteArrayOutputStream())).readAll());
        JsonNode actual = JSON.readTree(ReportJson.toJson(analysis, now));
        JsonNode expected = JSON.readTree(folder.resolve("expected.json").toFile());
        List<String> differences = JsonDiff.diff(expected, actual);
        assertTrue(differences.isEmpty(), () -> folder.getFileName() + " differs from expected.json:\n  "
                + String.join("\n  ", differences));
    }
}
