package dev.replyclock.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored top-level help is exactly what picocli renders for {@code replyclock --help}, and is what is printed. */
class TopLevelHelpTest {

    @Test
    void theStoredHelpIsPicocliesUsage() throws Exception {
        String rendered = Main.commandLine("--help").getUsageMessage();
        String stored;
        try (InputStream in = TopLevelHelp.class.getResourceAsStream(TopLevelHelp.RESOURCE)) {
            stored = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!rendered.equals(stored)) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "replyclock-help.txt"), rendered);
        }
        assertEquals(rendered, stored, "the commands changed: copy target/replyclock-help.txt to src/main/resources"
                + TopLevelHelp.RESOURCE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(TopLevelHelp.print(new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertEquals(rendered, out.toString(StandardCharsets.UTF_8));
        assertTrue(stored.contains("test-source") && stored.contains("wall-link"), stored);
    }
}
