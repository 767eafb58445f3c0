package com.simplemodelapi.prometheus;

import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Each health check's state as the {@code health:} schedule last found it, so a check that leaves readiness alone
 * (PostgreSQL, the catalog's refreshes) can still be alerted on. Read from the states Dropwizard keeps, so a scrape
 * runs no check.
 */
public final class HealthMetrics {
    private HealthMetrics() {
    }

    public static void register(HealthStateAggregator health, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("sma_health_check_healthy")
                .help("1 while a health check passes, 0 while it fails, as its health: schedule last ran it;"
                        + " critical=\"true\" for the checks readiness asks.")
                .labelNames("check", "critical")
                .callback(callback -> {
                    for (HealthStateView check : health.healthStateViews()) {
                        callback.call(check.isHealthy() ? 1 : 0, check.getName(), String.valueOf(check.isCritical()));
                    }
                })
                .register(registry);
    }
}
