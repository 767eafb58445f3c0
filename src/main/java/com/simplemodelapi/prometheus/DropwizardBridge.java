package com.simplemodelapi.prometheus;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.catalog.ChangeListener;
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

    static final Map<String, Bridged> METRICS = Map.of(
            "audit.written", new Bridged("sma_audit_lines_written", "Audit lines written to the audit files."),
            "audit.lost", new Bridged("sma_audit_lines_lost",
                    "Audit lines that could not be written and were dropped. Alert on any increase."),
            "audit.queued", new Bridged("sma_audit_lines_queued", "Audit lines waiting to be written."),
            "audit.forced", new Bridged("sma_audit_forces", "Times the audit files were forced to the disk (fsync)."),
            "catalog.age_seconds", new Bridged("sma_catalog_age_seconds",
                    "Seconds since the catalog in use was loaded; -1 before the first load."),
            "models.unavailable_versions", new Bridged("sma_catalog_unavailable_versions",
                    "Model versions in the catalog that this server could not load."),
            ChangeListener.CONNECTED, new Bridged("sma_catalog_listener_connected",
                    "1 while this server listens for operators' changes, 0 while it is reconnecting."),
            ChangeListener.RECONNECTS, new Bridged("sma_catalog_listener_reconnects",
                    "Times the connection that listens for operators' changes was lost and listened again."),
            ChangeListener.NOTIFICATIONS, new Bridged("sma_catalog_listener_notifications",
                    "Notifications of operators' changes this server received; a catalog refresh follows each, and a"
                    + " burst shares one."));

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
