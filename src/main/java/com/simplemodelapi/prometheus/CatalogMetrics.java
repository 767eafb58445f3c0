package com.simplemodelapi.prometheus;

import com.simplemodelapi.catalog.Catalog;
import com.simplemodelapi.catalog.LiveCatalog;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.ToIntFunction;

/** The size of the catalog in use, read at each scrape. Its age comes through {@link DropwizardBridge}. */
public final class CatalogMetrics {
    private CatalogMetrics() {
    }

    public static void register(LiveCatalog catalog, PrometheusRegistry registry) {
        gauge(registry, catalog, "sma_catalog_model_versions",
                "Model versions in the catalog in use, those that could not be loaded included.",
                current -> current.allVersions().size());
        gauge(registry, catalog, "sma_catalog_models", "Models in the catalog in use.", Catalog::modelCount);
        gauge(registry, catalog, "sma_catalog_users", "Users with at least one active API key in the catalog in use.",
                Catalog::callerCount);
        gauge(registry, catalog, "sma_catalog_api_keys", "Active API keys in the catalog in use.",
                Catalog::callerKeyCount);
    }

    private static void gauge(PrometheusRegistry registry, LiveCatalog catalog, String name, String help,
                              ToIntFunction<Catalog> size) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(size.applyAsInt(catalog.current())))
                .register(registry);
    }
}
