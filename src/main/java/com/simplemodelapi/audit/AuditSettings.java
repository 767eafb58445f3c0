package com.simplemodelapi.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The {@code audit} section of the config: where the audit log goes and what happens when it cannot be written. */
public class AuditSettings {
    @NotEmpty
    private String file = "./logs/audit.log";

    @Min(1)
    @Max(36_500)
    private int retentionDays = 90;

    @Min(16)
    @Max(10_000_000)
    private int queueSize = 65_536;

    private boolean failClosed = true;

    @NotNull
    private Duration forceInterval = Duration.seconds(1);

    @JsonProperty
    public String getFile() {
        return file;
    }

    @JsonProperty
    public void setFile(String file) {
        this.file = file;
    }

    /** Days of rolled files kept beside the current one. */
    @JsonProperty
    public int getRetentionDays() {
        return retentionDays;
    }

    @JsonProperty
    public void setRetentionDays(int retentionDays) {
        this.retentionDays = retentionDays;
    }

    /** Events held in memory between the request threads and the writer. */
    @JsonProperty
    public int getQueueSize() {
        return queueSize;
    }

    @JsonProperty
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** True: while the log cannot be written, application requests get 503. False: they are served, records lost. */
    @JsonProperty
    public boolean isFailClosed() {
        return failClosed;
    }

    @JsonProperty
    public void setFailClosed(boolean failClosed) {
        this.failClosed = failClosed;
    }

    /**
     * How often what was written is forced to the disk (fsync). A crash of the machine loses at most the lines written
     * within this interval, besides those still queued; 0 forces after every write.
     */
    @JsonProperty
    public Duration getForceInterval() {
        return forceInterval;
    }

    @JsonProperty
    public void setForceInterval(Duration forceInterval) {
        this.forceInterval = forceInterval;
    }
}
