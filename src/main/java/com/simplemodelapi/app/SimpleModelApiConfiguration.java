package com.simplemodelapi.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.usage.service.UsageSettings;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.Map;

public class SimpleModelApiConfiguration extends Configuration {
    @Valid
    @NotNull
    private DatabaseFactory database = new DatabaseFactory();

    @NotEmpty
    private String dataDir = "./data";

    private boolean migrateOnStart = true;

    @NotNull
    private Duration refreshInterval = Duration.seconds(30);

    @Min(1)
    @Max(100_000)
    private int maxBatchSize = 1000;

    @NotNull
    private DataSize maxRequestBytes = DataSize.mebibytes(1);

    @NotNull
    private DataSize maxArtifactBytes = DataSize.mebibytes(256);

    @NotNull
    private DataSize minRequestBytesPerSecond = DataSize.kibibytes(4);

    @Min(0)
    private int requestThreads = 0;

    @NotNull
    private Map<String, JsonNode> algorithms = Map.of();

    @Valid
    @NotNull
    private UsageSettings usage = new UsageSettings();


    @JsonProperty("database")
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    /** Where the embedded PostgreSQL keeps its data and the demo key is written. */
    @JsonProperty
    public String getDataDir() {
        return dataDir;
    }

    @JsonProperty
    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    @JsonProperty
    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    @JsonProperty
    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    @JsonProperty
    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    @JsonProperty
    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    @JsonProperty
    public DataSize getMaxRequestBytes() {
        return maxRequestBytes;
    }

    @JsonProperty
    public void setMaxRequestBytes(DataSize maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The slowest a request body may arrive; see {@code web/CheckedBodyStream}. */
    @JsonProperty
    public DataSize getMinRequestBytesPerSecond() {
        return minRequestBytesPerSecond;
    }

    @JsonProperty
    public void setMinRequestBytesPerSecond(DataSize minRequestBytesPerSecond) {
        this.minRequestBytesPerSecond = minRequestBytesPerSecond;
    }

    /** The largest artifact (an ONNX graph) {@code models add} accepts. */
    @JsonProperty
    public DataSize getMaxArtifactBytes() {
        return maxArtifactBytes;
    }

    @JsonProperty
    public void setMaxArtifactBytes(DataSize maxArtifactBytes) {
        this.maxArtifactBytes = maxArtifactBytes;
    }

    /** The application port's most request threads; 0 for {@link #requestThreadsFor}. */
    @JsonProperty
    public int getRequestThreads() {
        return requestThreads;
    }

    @JsonProperty
    public void setRequestThreads(int requestThreads) {
        this.requestThreads = requestThreads;
    }

    /**
     * The request threads to run with: the setting, or by default 4 per core and at least 8. Predictions are CPU work:
     * with more threads than that, the ones at work outnumber the cores, the kernel slices them, and a thread that
     * loses its core while holding a lock every request takes (the audit queue's, the thread pool's, the selector's)
     * stalls all the others behind it. Measured on two cores at 64 connections, 128 threads gave a server-side p99 of
     * 77-91 ms and 8 threads 10-12 ms, at the same or higher throughput (bench/RESULTS.md). Requests beyond the threads
     * wait in Jetty's queue, in order, without a thread. A slow client holds a thread while its body arrives, until
     * the body rate check or the idle timeout frees it, so clients on slow links belong behind a proxy that buffers
     * bodies, or REQUEST_THREADS higher.
     */
    public int requestThreadsFor(int cores) {
        return requestThreads > 0 ? requestThreads : Math.max(8, 4 * cores);
    }

    /**
     * Each algorithm's own settings, by its name, such as {@code onnx: {intraOpThreads: 2}}; a plug-in reads its
     * section from its {@code AlgorithmContext}.
     */
    @JsonProperty
    public Map<String, JsonNode> getAlgorithms() {
        return algorithms;
    }

    @JsonProperty
    public void setAlgorithms(Map<String, JsonNode> algorithms) {
        this.algorithms = algorithms;
    }

    /** Usage counting and quotas: how often counts are flushed, how many may wait, and how many replicas share rates. */
    @JsonProperty
    public UsageSettings getUsage() {
        return usage;
    }

    @JsonProperty
    public void setUsage(UsageSettings usage) {
        this.usage = usage;
    }
}
