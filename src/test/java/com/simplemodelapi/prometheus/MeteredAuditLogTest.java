package com.simplemodelapi.prometheus;

import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.audit.AuditLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting a request in the metrics never costs the request or its audit line. */
class MeteredAuditLogTest {
    private static AuditEvent event(String model, Integer version) {
        return new AuditEvent(Instant.now(), "r-1", "s-1", "alice", 7L, "POST", "/v1/models/m/predict", 200, 1.5,
                model, version, 1, "127.0.0.1", "test");
    }

    @Test
    void whenCountingFailsTheEventIsStillRecordedOnceAndNothingIsThrown() {
        List<AuditEvent> recorded = new ArrayList<>();
        AuditLog audit = recorded::add;
        // Without a catalog, counting a request that names a model throws.
        RequestMetrics broken = new RequestMetrics(new Routes(() -> "/"), null, new PrometheusRegistry());
        MeteredAuditLog metered = new MeteredAuditLog(audit, broken);

        AuditEvent first = event("m", 1);
        AuditEvent second = event("m", 2);
        metered.record(first);
        metered.record(second);

        assertThat(recorded).containsExactly(first, second);
    }

    @Test
    void itAcceptsRequestsWhenTheAuditLogDoes() {
        RequestMetrics metrics = new RequestMetrics(new Routes(() -> "/"), null, new PrometheusRegistry());
        AuditLog refusing = new AuditLog() {
            @Override
            public void record(AuditEvent event) {
            }

            @Override
            public boolean accepting() {
                return false;
            }
        };
        assertThat(new MeteredAuditLog(refusing, metrics).accepting()).isFalse();
        assertThat(new MeteredAuditLog(event -> { }, metrics).accepting()).isTrue();
    }
}
