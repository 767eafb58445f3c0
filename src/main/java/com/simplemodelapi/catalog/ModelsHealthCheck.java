package com.simplemodelapi.catalog;

import com.codahale.metrics.health.HealthCheck;

import java.util.stream.Collectors;

/** Unhealthy when a stored model version cannot be served, or when the catalog could not be refreshed. */
public class ModelsHealthCheck extends HealthCheck {
    private final LiveCatalog catalog;

    public ModelsHealthCheck(LiveCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    protected Result check() {
        LiveCatalog.RefreshOutcome outcome = catalog.lastOutcome();
        if (outcome.failure() != null) {
            return Result.unhealthy("The last catalog refresh, at %s, failed: %s", outcome.at(), outcome.failure());
        }
        String broken = catalog.current().allVersions().stream()
                .filter(model -> !model.isAvailable())
                .map(model -> model.name() + " v" + model.version() + ": " + model.loadError())
                .sorted()
                .collect(Collectors.joining("; "));
        if (!broken.isEmpty()) {
            return Result.unhealthy("Model versions that cannot be served: %s", broken);
        }
        return Result.healthy("%d model versions loaded at %s", catalog.current().allVersions().size(), outcome.at());
    }
}
