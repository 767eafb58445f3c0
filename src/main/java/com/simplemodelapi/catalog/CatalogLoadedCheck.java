package com.simplemodelapi.catalog;

import com.codahale.metrics.health.HealthCheck;

/**
 * Healthy once the catalog has been loaded, whenever that was: a server answers from the catalog it holds, however
 * old, so later failed refreshes (PostgreSQL down) leave it able to serve. One of the two checks readiness asks.
 */
public class CatalogLoadedCheck extends HealthCheck {
    private final LiveCatalog catalog;

    public CatalogLoadedCheck(LiveCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    protected Result check() {
        return catalog.lastSuccess() == null
                ? Result.unhealthy("The catalog has not been loaded yet")
                : Result.healthy("Serving the catalog loaded at %s", catalog.lastSuccess());
    }
}
