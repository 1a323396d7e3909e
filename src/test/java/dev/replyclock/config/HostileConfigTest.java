package dev.replyclock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated configs too large to keep as files under {@code config/invalid}: thousands of mailboxes, thousands
 * of problems, a document of megabytes. Each gives a short, clear error instead of a hang or a wall of text.
 */
class HostileConfigTest {

    private static final String HEAD = """
            internal_domains: [acme.example]
            calendars:
              berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
            sla_policies:
              sales: {first_response: 4h, attempts: {count: 5, within: 14d}}
            teams:
              sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}
            mailboxes:
            """;

    private static String mailboxes(int count, boolean withAddress) {
        StringBuilder out = new StringBuilder(HEAD);
        for (int i = 0; i < count; i++) {
            out.append("  - {id: m").append(i).append(withAddress ? ", address: m" + i + "@acme.example" : "")
                    .append(", team: sales, sla: sales, calendar: berlin, source: {type: files, paths: [mail]}}\n");
        }
        return out.toString();
    }

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("hostile.yaml", yaml, Path.of("/tmp"), Map.<String, String>of()::get));
    }

    @Test
    void tenThousandMailboxesAreOneClearError() {
        ConfigException e = refused(mailboxes(10_000, true));
        assertEquals(List.of("hostile.yaml:9: mailboxes: 10000 mailboxes: one instance watches at most 1000"
                + " (split them over several instances, each with its own store)"), e.problems());
    }

    @Test
    void aThousandMailboxesLoad() {
        Config config = ConfigLoader.parse("many.yaml", mailboxes(1_000, true), Path.of("/tmp"), Map.<String, String>of()::get);
        assertEquals(1_000, config.mailboxes().size());
        assertEquals("m999@acme.example", config.mailboxes().get(999).address());
    }

    @Test
    void thousandsOfProblemsShowTheFirstHundredAndACount() {
        ConfigException e = refused(mailboxes(500, false));
        assertEquals(Problems.MAX_SHOWN + 1, e.problems().size());
        assertEquals("hostile.yaml:9: mailboxes[0].address: required", e.problems().get(0));
        assertEquals("hostile.yaml: ... and 400 more problems", e.problems().get(Problems.MAX_SHOWN));
    }

    @Test
    void aDocumentOfMegabytesIsRefusedBeforeItIsRead() {
        String huge = "internal_domains: [" + "a.example, ".repeat(400_000) + "]\n";
        ConfigException e = refused(huge);
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("hostile.yaml:1: invalid YAML: The incoming YAML document exceeds the limit"),
                e.getMessage());
    }
}
