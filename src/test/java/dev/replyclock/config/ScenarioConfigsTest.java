package dev.replyclock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replyclock.config.CalendarConfig.OpenInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every config of ../shared/scenarios loads without problems, with the values the scenarios rely on. */
class ScenarioConfigsTest {

    static Path scenarios() {
        String shared = System.getProperty("replyclock.shared");
        return Path.of(shared != null ? shared : "../shared").resolve("scenarios");
    }

    static Config load(String scenario) {
        return ConfigLoader.load(scenarios().resolve(scenario).resolve("config.yaml"), name -> null);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioConfigLoads() throws IOException {
        List<Path> configs;
        try (Stream<Path> dirs = Files.list(scenarios())) {
            configs = dirs.map(d -> d.resolve("config.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(configs.isEmpty(), "no scenario configs under " + scenarios());
        return configs.stream().map(file -> DynamicTest.dynamicTest(file.getParent().getFileName().toString(), () -> {
            Config config = ConfigLoader.load(file, name -> null);
            assertFalse(config.mailboxes().isEmpty());
        }));
    }

    @Test
    void scenario01Defaults() {
        Config c = load("01-basic-first-response");
        assertEquals(List.of("acme.example"), c.internalDomains());
        assertEquals("X-Replyclock-Rep", c.attributionHeader());
        assertEquals(Duration.ofSeconds(60), c.pollInterval());
        assertEquals(9465, c.http().port());
        assertNull(c.http().publicUrl());
        Path dir = scenarios().resolve("01-basic-first-response").toAbsolutePath().normalize();
        assertEquals(dir.resolve("replyclock.db"), c.store().path());
        MailboxConfig m = c.mailboxes().get(0);
        assertEquals(new SourceConfig.Files(List.of(dir.resolve("mail/inbox"), dir.resolve("mail/sent"))), m.source());
        assertFalse(m.group());
        TeamConfig.Member carol = c.teams().get("sales").members().get(2);
        assertEquals(List.of("carol@acme.example", "c.example@acme.example"), carol.addresses());
        SlaPolicy sales = c.slaPolicies().get("sales");
        assertEquals(Duration.ofHours(4), sales.firstResponse());
        assertEquals(Duration.ofMinutes(30), sales.warnBefore());
        assertEquals(new SlaPolicy.AttemptsPolicy(5, Duration.ofDays(14), true), sales.attempts());
        assertEquals(100, sales.leadsPerRepPerMonth());
    }

    @Test
    void scenario03HasThreeMailboxesInOrder() {
        Config c = load("03-dst-week");
        assertEquals(List.of("sales-inbox", "us-inbox", "us-support"),
                c.mailboxes().stream().map(MailboxConfig::id).toList());
        assertEquals(List.of("berlin", "newyork", "newyork-night"), List.copyOf(c.calendars().keySet()));
        CalendarConfig night = c.calendars().get("newyork-night");
        assertEquals("America/New_York", night.zone().getId());
        assertEquals(List.of(new OpenInterval(0, 360)), night.hours().get(DayOfWeek.SUNDAY));
        assertNull(night.hours().get(DayOfWeek.SATURDAY));
        assertNull(c.slaPolicies().get("us").leadsPerRepPerMonth());
    }

    @Test
    void scenario04Holidays() {
        CalendarConfig berlin = load("04-holiday").calendars().get("berlin");
        assertEquals(2, berlin.holidays().size());
        assertTrue(berlin.holidays().contains(java.time.LocalDate.of(2024, 12, 25)));
    }

    @Test
    void scenario11SplitHours() {
        CalendarConfig berlin = load("11-waits").calendars().get("berlin");
        List<OpenInterval> split = List.of(new OpenInterval(540, 720), new OpenInterval(780, 1020));
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY)) {
            assertEquals(split, berlin.hours().get(d));
        }
        assertEquals(List.of(new OpenInterval(600, 840)), berlin.hours().get(DayOfWeek.SATURDAY));
        assertNull(berlin.hours().get(DayOfWeek.SUNDAY));
    }

    @Test
    void scenario12PartnersPolicy() {
        Config c = load("12-attempts-sla");
        SlaPolicy partners = c.slaPolicies().get("partners");
        assertEquals(Duration.ofHours(8), partners.firstResponse());
        assertEquals(Duration.ofHours(1), partners.warnBefore());
        assertEquals(new SlaPolicy.AttemptsPolicy(3, Duration.ofDays(7), false), partners.attempts());
        assertEquals("partners", c.mailboxes().get(1).sla());
    }

    @Test
    void scenario17GroupMailbox() {
        MailboxConfig m = load("17-group-mailbox").mailboxes().get(0);
        assertEquals("sales-group", m.id());
        assertTrue(m.group());
    }

    @Test
    void scenario20RoundTheClockAndDefaultName() {
        Config c = load("20-bounces");
        CalendarConfig utc = c.calendars().get("utc");
        assertEquals(7, utc.hours().size());
        assertEquals(List.of(new OpenInterval(0, 1440)), utc.hours().get(DayOfWeek.TUESDAY));
        assertEquals("tester", c.teams().get("test").members().get(0).name());
        assertEquals(List.of(), c.formSenders());
    }
}
