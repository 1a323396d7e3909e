package dev.replyclock.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line behaves as people expect: help everywhere, {@code --config} everywhere, shell completion, HTML. */
class CommandHabitsTest {

    private static final String EXAMPLE = "examples/config.yaml";

    @Test
    void everyCommandAnswersHelpWithExitZeroAndAnExample() {
        List<String> commands = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        assertTrue(commands.containsAll(List.of("analyze", "check-config", "sync", "run", "alert-test", "demo", "wall-link",
                "completion")), commands.toString());
        commands.add(0, null);
        for (String command : commands) {
            for (String help : List.of("--help", "-h")) {
                CommandLineTest.Run run = command == null ? CommandLineTest.run(help) : CommandLineTest.run(command, help);
                assertEquals(0, run.exit(), command + " " + help + ": " + run.err());
                assertTrue(run.out().startsWith("Usage: replyclock" + (command == null ? "" : " " + command)), run.out());
                assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  replyclock " + (command == null ? "" : command))),
                        command + " shows an example line: " + run.out());
                assertTrue(run.out().contains("--debug"), run.out());
            }
        }
    }

    @Test
    void checkConfigTakesTheFileAsAnArgumentOrAsConfig() {
        CommandLineTest.Run option = CommandLineTest.run("check-config", "--config", EXAMPLE);
        assertEquals(0, option.exit(), option.err());
        assertEquals(EXAMPLE + ": OK", option.out().strip());
        CommandLineTest.Run positional = CommandLineTest.run("check-config", EXAMPLE);
        assertEquals(option.out(), positional.out());
        CommandLineTest.Run none = CommandLineTest.run("check-config");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("check-config FILE or check-config --config FILE"), none.err());
        CommandLineTest.Run two = CommandLineTest.run("check-config", "a.yaml", "--config", "b.yaml");
        assertEquals(2, two.exit());
        assertTrue(two.err().contains("two files given"), two.err());
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        CommandLineTest.Run bash = CommandLineTest.run("completion", "bash");
        assertEquals(0, bash.exit(), bash.err());
        Path script = Files.writeString(dir.resolve("replyclock.bash"), bash.out());
        assertEquals("analyze", complete(dir, script, "replyclock an"));
        assertEquals("--format", complete(dir, script, "replyclock analyze --for"));
        assertEquals("html", complete(dir, script, "replyclock analyze --format h"));
        assertEquals("zsh", complete(dir, script, "replyclock completion z"));
    }

    @Test
    void zshLoadsTheSameScriptThroughBashcompinit(@TempDir Path dir) throws Exception {
        CommandLineTest.Run zsh = CommandLineTest.run("completion", "zsh");
        assertEquals(0, zsh.exit(), zsh.err());
        Path script = Files.writeString(dir.resolve("replyclock.zsh"), zsh.out());
        assertEquals("_bash_complete -F _complete_replyclock -o default", shell(dir, "zsh", "-c",
                "autoload -U +X compinit && compinit -u -d " + dir.resolve("zcompdump") + "; source " + script
                        + "; echo \"${_comps[replyclock]}\""));
        assertEquals(2, CommandLineTest.run("completion", "fish").exit(), "an unknown shell is a usage error");
    }

    @Test
    void analyzeWritesOneSelfContainedEscapedHtmlFile(@TempDir Path dir) throws IOException {
        Path examples = Path.of("examples").toAbsolutePath();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("1.eml"), """
                From: "<img src=x onerror=alert(1)>" <o'brien&sons@evil.example>
                To: sales@acme.example
                Subject: hello
                Date: Wed, 10 Apr 2024 10:00:00 +0200
                Message-ID: <evil-1@evil.example>

                body
                """);
        String yaml = Files.readString(examples.resolve("config.yaml")).replace("paths: [mail/inbox, mail/sent]",
                "paths: [" + examples.resolve("mail/inbox") + ", " + examples.resolve("mail/sent") + ", " + inbox + "]");
        Path config = Files.writeString(dir.resolve("config.yaml"), yaml);
        CommandLineTest.Run run = CommandLineTest.run("analyze", "--config", config.toString(), "--format", "HTML",
                "--now", "2024-04-12T12:00:00Z");
        assertEquals(0, run.exit(), run.err());
        String html = run.out();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"), html);
        assertTrue(html.contains("<td>bob</td>") && html.contains("<td class=\"n\">75.0%</td>"), html);
        assertTrue(html.contains("<td>o&#39;brien&amp;sons@evil.example</td>"), "the party, escaped: " + html);
        assertFalse(html.contains("<script") || html.contains("<img"), html);
        assertFalse(html.contains("src=\"http") || html.contains("href=") || html.contains("<link"),
                "self-contained: nothing fetched");
        assertEquals(12, html.lines().filter(l -> l.startsWith("<tr><td>2024-")).count(), "one row per lead");
        assertTrue(html.contains("<tr><td>2024-04-10T08:00:00Z</td><td>sales-inbox</td>"), html);
    }

    /** What bash offers for the last word of {@code line} with the script loaded. */
    private static String complete(Path dir, Path script, String line) throws Exception {
        int lastWord = line.split(" ").length - 1;
        return shell(dir, "bash", "-c", "source " + script + "; COMP_WORDS=(" + line + "); COMP_CWORD=" + lastWord
                + "; _complete_replyclock 2>/dev/null; echo \"${COMPREPLY[@]}\"");
    }

    private static String shell(Path dir, String... command) throws Exception {
        Path out = dir.resolve("shell.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return Files.readString(out).strip();
    }
}
