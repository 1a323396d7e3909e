package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a person runs them, on the bundled example mailbox. */
class CommandLineTest {

    private static final String EXAMPLE = "examples/config.yaml";
    private static final String NOW = "2024-04-12T12:00:00Z";

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void analyzeJsonOnTheExampleMailbox() throws IOException {
        Run run = run("analyze", "--config", EXAMPLE, "--now", NOW, "--format", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(NOW, report.get("now").asText());
        assertEquals(33, report.get("counts").get("files").asInt());
        assertEquals(1, report.get("counts").get("duplicates").asInt());
        assertEquals(3, report.get("counts").get("automated").asInt());
        assertEquals(11, report.get("leads").size());
        JsonNode weekendLead = report.get("leads").get(0);
        assertEquals("joerg@werk.example", weekendLead.get("party").asText());
        assertEquals("bob", weekendLead.get("first_response").get("rep").asText(), "Sender on a shared-mailbox send");
        assertEquals(1200, weekendLead.get("first_response").get("business_seconds").asLong(), "Mon 09:00 -> 09:20");
    }

    @Test
    void analyzeTableSummarisesTeamsAndReps() {
        Run run = run("analyze", "--config", EXAMPLE, "--now", NOW, "--format", "table", "--stats");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("sales                      11"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  bob ") && l.contains("75.0%")), run.out());
        assertTrue(run.out().contains("ria@logistik.example") && run.out().contains("at_risk"), run.out());
        assertTrue(run.err().contains("messages/s") && run.err().contains("peak heap"), run.err());
    }

    @Test
    void analyzeCsvHasOneRowPerLead() {
        Run run = run("analyze", "--config", EXAMPLE, "--now", NOW, "--format", "csv");
        assertEquals(0, run.exit(), run.err());
        assertEquals(12, run.out().lines().count());
        assertTrue(run.out().startsWith("lead_message_id,mailbox,team,party,start,"));
    }

    @Test
    void checkConfigPrintsEveryProblemAndFails(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("config.yaml");
        Files.writeString(bad, """
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  sales: {first_response: 4 h}
                mailboxes:
                  - {id: a, address: a@acme.example, team: sales, sla: sales, calendar: berln, colour: red,
                     source: {type: files, paths: [x]}}
                """);
        Run run = run("check-config", bad.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("config.yaml:4: sla_policies.sales.first_response: invalid duration '4 h'"), run.err());
        assertTrue(run.err().contains("mailboxes[0].calendar: no calendar named 'berln'"), run.err());
        assertTrue(run.err().contains("mailboxes[0].colour: unknown key"), run.err());
        Run example = run("check-config", EXAMPLE);
        assertEquals(0, example.exit());
        assertTrue(example.err().contains("warning: no auth section"), "pages and API open to all: " + example.err());
        Path authConfig = dir.resolve("auth.yaml");
        Files.writeString(authConfig, Files.readString(Path.of(EXAMPLE)) + "auth: {tokens: [{name: tv, role: viewer, "
                + "sha256: 4d1566a1d7df42a8517456d60ea06ed284e535cfe4c956aa6ee172dbcdf945f7}]}\n");
        Run withAuth = run("check-config", authConfig.toString());
        assertEquals(0, withAuth.exit(), withAuth.err());
        assertFalse(withAuth.err().contains("no auth section"), withAuth.err());

        Run analyze = run("analyze", "--config", bad.toString());
        assertEquals(2, analyze.exit(), "a command on a bad configuration stops before reading any mail");
        assertTrue(analyze.err().contains("mailboxes[0].calendar: no calendar named 'berln'"), analyze.err());
    }
}
