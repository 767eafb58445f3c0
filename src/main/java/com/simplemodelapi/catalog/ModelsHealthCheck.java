package com.simplemodelapi.catalog;

import com.codahale.metrics.health.HealthCheck;

import java.util.List;

/**
 * Unhealthy when the catalog cannot be trusted to be current: the last refresh failed, or no refresh has worked for
 * {@value LiveCatalog#STALE_AFTER_INTERVALS} intervals (the refreshes have stopped). A model version that cannot be
 * served is reported in the details but leaves the check healthy: every replica loads the same versions, so taking
 * replicas out of service for it would take the whole API down for one version.
 */
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
        if (catalog.isStale()) {
            return Result.unhealthy("No catalog refresh has worked since %s (%.0f s ago); they are due every %s",
                    catalog.lastSuccess(), catalog.ageSeconds(), catalog.interval());
        }
        List<String> unavailable = catalog.current().unavailableVersions().stream()
                .map(model -> model.name() + " v" + model.version() + ": " + model.loadError())
                .sorted()
                .toList();
        ResultBuilder result = Result.builder().healthy()
                .withMessage("%d model versions loaded at %s; %d cannot be served",
                        catalog.current().allVersions().size(), outcome.at(), unavailable.size())
                .withDetail("loaded_at", outcome.at().toString());
        if (!unavailable.isEmpty()) {
            result.withDetail("unavailable_versions", unavailable);
        }
        return result.build();
    }
}
