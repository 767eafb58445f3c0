package com.simplemodelapi.testing;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.app.DatabaseSetup;

/** Applies the project's real migrations to a test database, the same way the server does at start. */
public final class Migrate {
    private Migrate() {
    }

    public static void apply(String url) {
        DatabaseSetup.prepare(TestPostgres.configFor(url), new MetricRegistry(), DatabaseSetup.Schema.MIGRATE).close();
    }
}
