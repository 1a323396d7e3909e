package dev.replyclock.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code replyclock --help} printed from {@code replyclock-help.txt}, the text picocli renders for it (TopLevelHelpTest
 * fails when they differ), so that the plain help costs a JVM start, not picocli's reflective model of every command.
 */
final class TopLevelHelp {

    static final String RESOURCE = "/replyclock-help.txt";

    private TopLevelHelp() {
    }

    /** Prints the stored help; false when it is missing (then picocli renders it). */
    static boolean print(PrintStream out) {
        try (InputStream in = TopLevelHelp.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            out.write(in.readAllBytes());
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
