package dev.replyclock.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;

final class ServiceLabels {
    private ServiceLabels() {
    }

    /** No customer address, subject or message id ever appears in a label. */
    static void assertNoAddress(Samples s) {
        for (Samples.Sample x : s.all()) {
            for (String v : x.labels().values()) {
                assertFalse(v.contains("@"), "address-like label value in " + x);
            }
        }
    }
}
