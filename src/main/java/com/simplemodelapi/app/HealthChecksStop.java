package com.simplemodelapi.app;

import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.lifecycle.Managed;

/**
 * Ends the health checks before what they watch stops with the server: their schedules would otherwise find the
 * audit log closed and the pool gone, and log each as a dependency that failed. By then the ports are closed, so
 * nobody is asking.
 */
record HealthChecksStop(HealthCheckRegistry checks) implements Managed {
    @Override
    public void stop() {
        checks.getNames().forEach(checks::unregister);
    }
}
