package dev.replyclock.alert;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlertCountersTest {

    @Test
    void countsByLabelsAndForwards() {
        List<String> forwarded = new ArrayList<>();
        AlertCounters counters = new AlertCounters(new AlertListener() {
            @Override
            public void sent(String channel, String event) {
                forwarded.add(channel + " " + event);
            }
        });
        counters.sent("sales-slack", "at_risk");
        counters.sent("sales-slack", "at_risk");
        counters.sent("managers", "breached");
        counters.failed("sales-slack", DeliveryException.RATE_LIMITED);
        counters.pending(3);
        assertEquals(Map.of(new AlertCounters.Labels("managers", "breached"), 1L,
                new AlertCounters.Labels("sales-slack", "at_risk"), 2L), counters.sent());
        assertEquals(Map.of(new AlertCounters.Labels("sales-slack", "rate_limited"), 1L), counters.failed());
        assertEquals(3, counters.pending());
        assertEquals(List.of("sales-slack at_risk", "sales-slack at_risk", "managers breached"), forwarded);
    }
}
