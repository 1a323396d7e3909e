package dev.replyclock.metrics;

/** Lets tests of other packages find programs the way {@link PromtoolTest} does. */
public final class PromtoolTestAccess {
    private PromtoolTestAccess() {
    }

    public static String executable(String name) {
        return PromtoolTest.executable(name);
    }
}
