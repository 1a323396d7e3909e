package dev.replyclock.app;

/** What a failed command prints and returns, when the failure is not a {@link CommandFailure} already. */
final class Failures {

    private Failures() {
    }

    /** The exception's own message (ours name what and where); its class name when it has none. */
    static String message(Throwable e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
    }

    static int exitCode(Throwable e) {
        return e instanceof CommandFailure failure ? failure.exitCode() : 1;
    }
}
