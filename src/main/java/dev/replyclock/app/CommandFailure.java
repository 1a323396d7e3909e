package dev.replyclock.app;

/** A failure the user can act on, with its exit code: its message is all that is printed (no stack trace). */
final class CommandFailure extends RuntimeException {

    /** Exit code of a command that could not start: bad configuration, port taken, store unusable. */
    static final int CANNOT_START = 2;

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
