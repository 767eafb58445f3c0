package com.simplemodelapi.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

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
}
