package com.simplemodelapi.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * Dropwizard's data source settings, plus how long to wait for PostgreSQL at start. An empty {@code url} means:
 * run an embedded PostgreSQL under {@code dataDir}, unless {@code allowEmbedded} is false.
 */
public class DatabaseFactory extends DataSourceFactory {
    /** Stands for an empty URL, which Dropwizard's validation would refuse. */
    static final String EMBEDDED = "embedded";

    @NotNull
    private Duration startupTimeout = Duration.seconds(60);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration migrationLockTimeout = Duration.minutes(2);

    private boolean allowEmbedded = true;

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

    /**
     * Whether an empty {@code url} runs an embedded PostgreSQL; when false, it stops the start instead, so that a
     * forgotten {@code DATABASE_URL} cannot pass for a working server.
     */
    @JsonProperty
    public boolean isAllowEmbedded() {
        return allowEmbedded;
    }

    @JsonProperty
    public void setAllowEmbedded(boolean allowEmbedded) {
        this.allowEmbedded = allowEmbedded;
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
