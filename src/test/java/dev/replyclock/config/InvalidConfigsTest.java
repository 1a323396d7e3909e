package dev.replyclock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One file per invalid config under {@code src/test/resources/config/invalid}; its leading
 * {@code # expect: <message>} lines are the exact problems, in order.
 */
class InvalidConfigsTest {

    /** The environment the cases see: SET_VAR is set, everything else is not. */
    static final Map<String, String> ENV = Map.of("SET_VAR", "s3cret-value");

    @TestFactory
    Stream<DynamicTest> eachInvalidConfigReportsExactlyItsProblems() throws IOException, URISyntaxException {
        Path dir = Path.of(InvalidConfigsTest.class.getResource("/config/invalid").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "expected at least 20 cases, found " + files.size());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<String> expected = Files.readAllLines(file).stream()
                    .takeWhile(line -> line.startsWith("# expect: "))
                    .map(line -> line.substring("# expect: ".length()))
                    .toList();
            assertFalse(expected.isEmpty(), file + " has no '# expect: ' first line");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV::get));
            assertEquals(expected, e.problems());
            assertEquals(String.join("\n", expected), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret-value"), "a secret leaked into the message");
        }));
    }
}
