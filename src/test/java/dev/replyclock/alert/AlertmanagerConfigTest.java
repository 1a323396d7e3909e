package dev.replyclock.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/alertmanager/alertmanager.yml passes {@code amtool check-config} (Debian's prometheus-alertmanager, installed
 * by .ci/run). Never skipped: without amtool the test fails and says how to install it.
 */
class AlertmanagerConfigTest {

    @TempDir
    Path dir;

    static Path example() {
        return Path.of(System.getProperty("basedir", ".")).resolve("deploy/alertmanager/alertmanager.yml");
    }

    record Run(int exit, String output) {
    }

    static Run amtool(Path config) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of("amtool", "check-config", config.toString())).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("amtool not found on PATH: install Debian's prometheus-alertmanager "
                    + "(apt-get install prometheus-alertmanager; .ci/run does it): " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("amtool check-config did not finish within 60 s");
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    void exampleAlertmanagerConfigPassesAmtool() throws Exception {
        assertTrue(Files.isRegularFile(example()), example() + " is missing");
        Run run = amtool(example());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("SUCCESS"), run.output());
    }

    @Test
    void amtoolReallyChecks() throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, Files.readString(example()).replace("receiver: sales-slack", "receiver: nobody"));
        Run run = amtool(broken);
        assertNotEquals(0, run.exit(), run.output());
    }
}
