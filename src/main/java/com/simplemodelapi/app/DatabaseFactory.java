package com.simplemodelapi.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * Dropwizard's data source settings, plus how long to wait for PostgreSQL at start. An empty {@code url} means:
 * run an embedded PostgreSQL under {@code dataDir}.
 */
public class DatabaseFactory extends DataSourceFactory {
    /** Stands for an empty URL, which Dropwizard's validation would refuse. */
    static final String EMBEDDED = "embedded";

    @NotNull
    private Duration startupTimeout = Duration.seconds(60);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration migrationLockTimeout = Duration.minutes(2);

    @JsonProperty
    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    @JsonProperty
    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /**
     * How long a start waits for another server's migration to finish, and how long a migration statement waits for
     * a lock another session holds, before the start fails.
     */
    @JsonProperty
    public Duration getMigrationLockTimeout() {
        return migrationLockTimeout;
    }

    @JsonProperty
    public void setMigrationLockTimeout(Duration migrationLockTimeout) {
        this.migrationLockTimeout = migrationLockTimeout;
    }

    @Override
    @JsonProperty
    public void setUrl(String url) {
        super.setUrl(url == null || url.isBlank() ? EMBEDDED : url);
    }

    public boolean isEmbedded() {
        return EMBEDDED.equals(getUrl());
    }
}
