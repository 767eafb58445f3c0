package com.simplemodelapi.prometheus;

import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.catalog.LiveCatalog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The series counted from each request's audit event: every request by route and status class, and the requests
 * that reached a model version by model and version. The audit event is the one record every application request
 * produces, whatever its outcome (Jetty's own errors and the refusals while the audit log is down included), so these
 * series count what the audit log records.
 *
 * <p>Only model versions the current catalog holds get series of their own: a request may name any model and any
 * version, and its 404 would otherwise add series without bound.
 */
public final class RequestMetrics {
    /** From half a millisecond (a small model in memory) to a second (a large batch or graph). */
    static final double[] DURATION_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    private static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Routes routes;
    private final LiveCatalog catalog;
    private final Counter httpRequests;
    private final Counter modelRequests;
    private final Counter modelRecords;
    private final Counter modelErrors;
    private final Histogram modelDuration;

    public RequestMetrics(Routes routes, LiveCatalog catalog, PrometheusRegistry registry) {
        this.routes = routes;
        this.catalog = catalog;
        this.httpRequests = Counter.builder()
                .name("sma_http_requests_total")
                .help("Requests to the application port, by route template and status class.")
                .labelNames("route", "status_class")
                .withoutExemplars()
                .register(registry);
        this.modelRequests = Counter.builder()
                .name("sma_model_requests_total")
                .help("Requests that reached a model version, by status class.")
                .labelNames("model", "version", "status_class")
                .withoutExemplars()
                .register(registry);
        this.modelRecords = Counter.builder()
                .name("sma_model_records_total")
                .help("Records (instances) predicted by a model version in requests that succeeded.")
                .labelNames("model", "version")
                .withoutExemplars()
                .register(registry);
        this.modelErrors = Counter.builder()
                .name("sma_model_errors_total")
                .help("Requests that reached a model version and failed, by HTTP status.")
                .labelNames("model", "version", "status")
                .withoutExemplars()
                .register(registry);
        this.modelDuration = Histogram.builder()
                .name("sma_model_request_duration_seconds")
                .help("Time from the request's arrival to its answer, for requests that reached a model version.")
                .labelNames("model", "version")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    /** Counts one request. */
    public void count(AuditEvent event) {
        String statusClass = statusClass(event.status());
        httpRequests.labelValues(routes.of(event.path()), statusClass).inc();
        String model = event.model();
        Integer version = event.version();
        if (model == null || version == null || !catalog.current().holds(model, version)) {
            return;
        }
        String versionLabel = version.toString();
        modelRequests.labelValues(model, versionLabel, statusClass).inc();
        modelDuration.labelValues(model, versionLabel).observe(event.durationMs() / 1_000.0);
        if (event.status() >= 400) {
            modelErrors.labelValues(model, versionLabel, Integer.toString(event.status())).inc();
        } else if (event.instances() != null) {
            modelRecords.labelValues(model, versionLabel).inc(event.instances());
        }
    }

    private static String statusClass(int status) {
        return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100] : STATUS_CLASSES[0];
    }
}
