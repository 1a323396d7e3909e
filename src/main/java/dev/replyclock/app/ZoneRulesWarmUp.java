package dev.replyclock.app;

import java.time.zone.ZoneRulesProvider;

/**
 * Initialises {@code java.time}'s zone rules on a daemon thread while the main thread parses the configuration.
 * {@link ZoneRulesProvider}'s class initialiser looks for providers with a {@code ServiceLoader}, which opens every jar
 * of the class path (25–40 ms of a {@code check-config} with the launcher's one libraries jar, 60–70 ms with 125 jars);
 * every configuration names a time zone, so the rules are always needed, and on a second core that search overlaps
 * the YAML parsing instead of following it.
 */
final class ZoneRulesWarmUp extends Thread {

    private ZoneRulesWarmUp() {
        super("zone-rules-warm-up");
        setDaemon(true);
    }

    /** Starts the warm-up when {@code args} name a command that reads a configuration. */
    static void startFor(String... args) {
        if (readsConfig(args)) {
            new ZoneRulesWarmUp().start();
        }
    }

    private static boolean readsConfig(String... args) {
        if (args.length > 0 && args[0].equals("check-config")) {
            return true;
        }
        for (String arg : args) {
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        ZoneRulesProvider.getAvailableZoneIds(); // the class initialiser is the search; the main thread waits on it
    }
}
