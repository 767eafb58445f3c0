package com.simplemodelapi.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.Fatal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The audit log's own file appender: each event's message, one JSON line, goes to the {@link AuditFileWriter}, which
 * knows, unlike logback's file appender, when a line cannot be written, and so lets the service refuse requests it
 * cannot record. Dropwizard puts its asynchronous appender in front, like every appender's.
 *
 * <p>Configured with logging, so it exists wherever config.yml is read, the CLI included; it touches the file only once
 * the server {@link #activate activates} it. Until then, and after {@link #stop}, it takes nothing.
 */
public final class AuditFileAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final AuditSettings settings;
    private volatile AuditFileWriter writer;
    /** The logging thread that hands this appender its lines, once it has; null before the first. */
    private volatile Thread loggingThread;

    AuditFileAppender(AuditSettings settings) {
        this.settings = settings;
    }

    /** Opens the file (creating its directory) and starts the writer; the server does this at start. */
    synchronized void activate(MetricRegistry metrics, Clock clock) throws IOException {
        if (writer == null) {
            AuditFileWriter started = new AuditFileWriter(settings, metrics, clock);
            started.start();
            writer = started;
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        loggingThread = Thread.currentThread();
        AuditFileWriter active = writer;
        if (active == null) {
            addError("An audit event reached " + settings.file() + " before the server activated it; it is dropped");
            return;
        }
        String line = event.getFormattedMessage();
        if (!isRecord(event) || line.indexOf('\n') >= 0) {
            addWarn("Something other than the audit logger logged to the audit logger; " + settings.file()
                    + " takes only audit records, so it was not written");
            return;
        }
        try {
            active.record(line.getBytes(StandardCharsets.UTF_8));
        } catch (Throwable e) {
            // Nothing may escape to the logging thread: an Error would end it, and every request after would wait.
            Fatal.rethrowIfFatal(e);
            addError("Could not queue an audit line for " + settings.file(), e);
        }
    }

    private static boolean isRecord(ILoggingEvent event) {
        return event.getMarkerList() != null && event.getMarkerList().contains(AuditLogger.RECORD);
    }

    /** Writes out what is queued and closes the file; the logging thread stops it once it has handed over its queue. */
    @Override
    public void stop() {
        super.stop();
        AuditFileWriter active = writer;
        if (active != null) {
            try {
                active.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path path() {
        return settings.file();
    }

    boolean isFailClosed() {
        return settings.failClosed();
    }

    /** Whether requests may be served: the file can be written, or this appender fails open. */
    boolean accepting() {
        return failure() == null || !settings.failClosed();
    }

    /** Why the file cannot be written, and since when; null while it can. */
    String failure() {
        AuditFileWriter active = writer;
        if (active == null) {
            return "the audit file appender was never activated";
        }
        if (!isStarted()) {
            return "the audit file appender has been stopped";
        }
        return active.failure();
    }

    /** False once the logging thread that feeds this appender has died (an Error escaped another appender, say). */
    boolean isFedByALiveThread() {
        Thread feeding = loggingThread;
        return feeding == null || feeding.isAlive();
    }

    int queued() {
        AuditFileWriter active = writer;
        return active == null ? 0 : active.queued();
    }
}
