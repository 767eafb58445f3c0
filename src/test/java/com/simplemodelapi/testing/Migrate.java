package com.simplemodelapi.testing;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.app.SimpleModelApiConfiguration;

/** Applies the project's real migrations to a test database, the same way the server does at start. */
final class Migrate {
    private Migrate() {
    }

    static void apply(String url) {
        SimpleModelApiConfiguration config = new SimpleModelApiConfiguration();
        config.getDatabase().setDriverClass("org.postgresql.Driver");
        config.getDatabase().setUrl(url);
        config.getDatabase().setUser(TestPostgres.USER);
        config.getDatabase().setPassword("");
        DatabaseSetup.prepare(config, new MetricRegistry()).close();
    }
}
