package com.simplemodelapi.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * Dropwizard's data source settings, plus how long to wait for PostgreSQL at start. An empty {@code url} means:
 * run an embedded PostgreSQL under {@code dataDir}.
 */
public class DatabaseFactory extends DataSourceFactory {
    @NotNull
    private Duration startupTimeout = Duration.seconds(60);

    @JsonProperty
    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    @JsonProperty
    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public boolean isEmbedded() {
        return getUrl() == null || getUrl().isBlank();
    }
}
