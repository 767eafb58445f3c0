package com.simplemodelapi.prometheus;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.catalog.ChangeListener;
import com.simplemodelapi.usage.service.UsageFlusher;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The service's own Dropwizard metrics that Prometheus gets, under Prometheus names, through the Prometheus client's
 * bridge. Only these: the rest of the registry is either better served by a Prometheus series of its own (the JVM's,
 * the per-model timers whose names hold the model, the per-resource timers that the route series replace) or named in
 * a way Prometheus's conventions reject (class names in camelCase, no base units). {@code /metrics} still has them all.
 */
public final class DropwizardBridge implements MultiCollector {
    /** A Dropwizard metric's Prometheus name (before the {@code _total} the exposition adds to a counter) and help. */
    record Bridged(String name, String help) {
    }

    static final Map<String, Bridged> METRICS = Map.ofEntries(
            bridged("audit.written", "sma_audit_lines_written", "Audit lines written to the audit files."),
            bridged("audit.lost", "sma_audit_lines_lost",
                    "Audit lines that could not be written and were dropped. Alert on any increase."),
            bridged("audit.queued", "sma_audit_lines_queued", "Audit lines waiting to be written."),
            bridged("audit.forced", "sma_audit_forces", "Times the audit files were forced to the disk (fsync)."),
            bridged("catalog.age_seconds", "sma_catalog_age_seconds",
                    "Seconds since the catalog in use was loaded; -1 before the first load."),
            bridged("models.unavailable_versions", "sma_catalog_unavailable_versions",
                    "Model versions in the catalog that this server could not load."),
            bridged(ChangeListener.CONNECTED, "sma_catalog_listener_connected",
                    "1 while this server listens for operators' changes, 0 while it is reconnecting."),
            bridged(ChangeListener.RECONNECTS, "sma_catalog_listener_reconnects",
                    "Times the connection that listens for operators' changes was lost and listened again."),
            bridged(ChangeListener.NOTIFICATIONS, "sma_catalog_listener_notifications",
                    "Notifications of operators' changes this server received; a catalog refresh follows each, and a"
                    + " burst shares one."),
            bridged(UsageFlusher.UNFLUSHED, "sma_usage_unflushed_rows",
                    "Usage rows counted on this server and not yet written to the usage table."),
            bridged(UsageFlusher.FAILURES, "sma_usage_flush_failures",
                    "Usage flushes that failed (PostgreSQL away); the counts wait for the next one."),
            bridged(UsageFlusher.DROPPED, "sma_usage_dropped_requests",
                    "Requests whose usage counts were dropped because too many rows waited for the database."
                    + " Alert on any increase; 'usage rebuild --from-audit' repairs the usage table."));

    private static Map.Entry<String, Bridged> bridged(String dropwizard, String name, String help) {
        return Map.entry(dropwizard, new Bridged(name, help));
    }

    private final DropwizardExports exports;
    private final Map<String, String> helpByName;

    private DropwizardBridge(MetricRegistry metrics) {
        List<MapperConfig> renames = new ArrayList<>();
        METRICS.forEach((dropwizard, bridged) -> {
            renames.add(new MapperConfig(dropwizard, bridged.name(), Map.of()));
            // The bridge looks a meter's name up with "_total" added.
            renames.add(new MapperConfig(dropwizard + "_total", bridged.name(), Map.of()));
        });
        MetricFilter ours = (name, metric) -> METRICS.containsKey(name);
        this.exports = new DropwizardExports(metrics, ours, new CustomLabelMapper(renames));
        this.helpByName = METRICS.values().stream()
                .collect(Collectors.toUnmodifiableMap(Bridged::name, Bridged::help));
    }

    public static void register(MetricRegistry metrics, PrometheusRegistry registry) {
        registry.register(new DropwizardBridge(metrics));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.copyOf(helpByName.keySet());
    }

    /** The bridge's series, with help that says what they count rather than which Java class held them. */
    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder described = MetricSnapshots.builder();
        for (MetricSnapshot snapshot : exports.collect()) {
            String name = snapshot.getMetadata().getName();
            MetricMetadata metadata = new MetricMetadata(name, helpByName.getOrDefault(name, name));
            if (snapshot instanceof CounterSnapshot counter) {
                described.metricSnapshot(new CounterSnapshot(metadata, counter.getDataPoints()));
            } else if (snapshot instanceof GaugeSnapshot gauge) {
                described.metricSnapshot(new GaugeSnapshot(metadata, gauge.getDataPoints()));
            } else {
                described.metricSnapshot(snapshot);
            }
        }
        return described.build();
    }
}
