package com.simplemodelapi.audit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.async.AsyncAppenderFactory;
import io.dropwizard.logging.common.filter.LevelFilterFactory;
import io.dropwizard.logging.common.layout.LayoutFactory;
import io.dropwizard.util.Duration;

import java.nio.file.Path;

/**
 * {@code type: audit-file} in a logger's appenders: the audit log's file, with the promises logback's file appender
 * does not keep (see {@link AuditFileAppender}). Dropwizard wraps it in its asynchronous appender like any other;
 * unlike the other appender types, it defaults to a queue of 65,536 that never drops a line when nearly full
 * ({@code discardingThreshold: 0}). Its lines are the events' messages, so {@code logFormat} and {@code layout} do
 * not apply, and neither do {@code threshold} and filters: no audit line is filtered out.
 */
@JsonTypeName("audit-file")
public class AuditFileAppenderFactory extends AbstractAppenderFactory<ILoggingEvent> {
    static final int DEFAULT_QUEUE_SIZE = 65_536;
    /** How long a stop waits for the asynchronous appender to hand over its queue; past the writer's own limit. */
    private static final int MAX_FLUSH_MILLIS = 2 * AuditFileWriter.STOP_WAIT_SECONDS * 1_000;

    private String file = "./logs/audit.log";
    private int retentionDays = 90;
    private boolean failClosed = true;
    private Duration forceInterval = Duration.seconds(1);

    public AuditFileAppenderFactory() {
        setQueueSize(DEFAULT_QUEUE_SIZE);
        setDiscardingThreshold(0);
        setNeverBlock(false);
    }

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

    /** True: while the file cannot be written, application requests get 503. False: they are served, lines lost. */
    @JsonProperty
    public boolean isFailClosed() {
        return failClosed;
    }

    @JsonProperty
    public void setFailClosed(boolean failClosed) {
        this.failClosed = failClosed;
    }

    /** How often written lines are forced to the disk; zero forces after every write. */
    @JsonProperty
    public Duration getForceInterval() {
        return forceInterval;
    }

    @JsonProperty
    public void setForceInterval(Duration forceInterval) {
        this.forceInterval = forceInterval;
    }

    /** The writer's settings; its own queue is as long as the asynchronous appender's. */
    AuditSettings settings() {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("An audit-file appender needs a file");
        }
        if (getMessageRate() != null) {
            throw new IllegalArgumentException("An audit-file appender takes no messageRate: it drops no audit line");
        }
        if (retentionDays < 1 || getQueueSize() < 16) {
            throw new IllegalArgumentException("An audit-file appender keeps at least 1 day of files and queues at"
                    + " least 16 lines; it has retentionDays " + retentionDays + " and queueSize " + getQueueSize());
        }
        return new AuditSettings(Path.of(file), retentionDays, failClosed, getQueueSize(),
                java.time.Duration.ofNanos(forceInterval.toNanoseconds()));
    }

    @Override
    public Appender<ILoggingEvent> build(LoggerContext context, String applicationName,
                                         LayoutFactory<ILoggingEvent> layoutFactory,
                                         LevelFilterFactory<ILoggingEvent> levelFilterFactory,
                                         AsyncAppenderFactory<ILoggingEvent> asyncAppenderFactory) {
        AuditFileAppender appender = new AuditFileAppender(settings());
        appender.setName("audit-file");
        appender.setContext(context);
        appender.start();
        Appender<ILoggingEvent> async = wrapAsync(appender, asyncAppenderFactory);
        ((AsyncAppenderBase<ILoggingEvent>) async).setMaxFlushTime(MAX_FLUSH_MILLIS);
        return async;
    }
}
