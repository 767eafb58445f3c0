package com.simplemodelapi.usage.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** config.yml's {@code usage:} section: how often counts are written, how many wait at most, and how many replicas. */
public class UsageSettings {
    @NotNull
    private Duration flushInterval = Duration.seconds(10);

    @Min(1)
    private int maxUnflushedRows = 100_000;

    @Min(1)
    @Max(10_000)
    private int replicas = 1;

    /** How often this server adds its counts to the usage table, and reads the instance totals quotas check. */
    @JsonProperty
    public Duration getFlushInterval() {
        return flushInterval;
    }

    @JsonProperty
    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    /** The most rows kept in memory while the database cannot take them; counts past it are dropped and counted. */
    @JsonProperty
    public int getMaxUnflushedRows() {
        return maxUnflushedRows;
    }

    @JsonProperty
    public void setMaxUnflushedRows(int maxUnflushedRows) {
        this.maxUnflushedRows = maxUnflushedRows;
    }

    /** How many servers share the traffic: each enforces 1/replicas of every user's rate limit. */
    @JsonProperty
    public int getReplicas() {
        return replicas;
    }

    @JsonProperty
    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }
}
