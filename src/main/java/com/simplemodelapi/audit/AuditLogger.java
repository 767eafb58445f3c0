package com.simplemodelapi.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.simplemodelapi.common.SetupException;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.logback.AsyncAppenderBaseProxy;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log as the service writes it: every event goes to the {@value #LOGGER} logger as one logging event, whose
 * message is the event's JSON line and whose MDC holds its fields by name, so that any appender an operator adds there
 * (the console with Dropwizard's JSON layout, another file) records the same thing. The {@code audit-file} appenders
 * are the ones that know when they cannot write; requests are refused while one that fails closed cannot.
 *
 * <p>The event is handed to the logger's appenders directly, past the logger's level and turbo filters: no setting
 * can turn the audit log off. The server activates the audit-file appenders at start, and at stop drains every
 * asynchronous appender of the logger, which Dropwizard's own stop does only for the root logger's.
 */
public final class AuditLogger implements AuditLog, Managed {
    public static final String LOGGER = "audit";
    /** Marks the events this class makes; an audit-file appender writes no other, so nothing else can forge a line. */
    static final Marker RECORD = MarkerFactory.getMarker("AUDIT_RECORD");
    private static final String FQCN = AuditLogger.class.getName();
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(AuditLogger.class);

    private final Logger logger;
    private final ObjectWriter json;
    private final ObjectMapper fields;
    private final MetricRegistry metrics;
    private final Clock clock;
    private final List<AsyncAppenderBase<ILoggingEvent>> asyncAppenders = new ArrayList<>();
    private final List<AuditFileAppender> fileAppenders = new ArrayList<>();
    /** Whether an appender other than an audit-file one reads the event, and so needs its fields. */
    private final boolean fieldsNeeded;

    public AuditLogger(ObjectMapper json, MetricRegistry metrics, Clock clock) {
        this.logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(LOGGER);
        this.json = json.writerFor(AuditEvent.class);
        this.fields = json;
        this.metrics = metrics;
        this.clock = clock;
        boolean others = false;
        for (Appender<ILoggingEvent> attached : list(logger.iteratorForAppenders())) {
            Appender<ILoggingEvent> appender = withoutThrottling(attached);
            if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
                asyncAppenders.add(async);
                for (Appender<ILoggingEvent> inner : list(async.iteratorForAppenders())) {
                    others |= !collectFileAppender(inner);
                }
            } else {
                others |= !collectFileAppender(appender);
            }
        }
        if (asyncAppenders.isEmpty() && !others && fileAppenders.isEmpty()) {
            throw new SetupException("The '" + LOGGER + "' logger has no appenders, so the audit log would go nowhere:"
                    + " give logging.loggers." + LOGGER + " in config.yml an audit-file appender.");
        }
        this.fieldsNeeded = others;
        metrics.gauge("audit.queued", () -> this::queued);
    }

    /** The asynchronous appender inside Dropwizard's wrapper for {@code messageRate}, or the appender itself. */
    @SuppressWarnings("unchecked")
    private static Appender<ILoggingEvent> withoutThrottling(Appender<ILoggingEvent> appender) {
        return appender instanceof AsyncAppenderBaseProxy<?> throttled
                ? (Appender<ILoggingEvent>) throttled.getAppender() : appender;
    }

    private boolean collectFileAppender(Appender<ILoggingEvent> appender) {
        if (appender instanceof AuditFileAppender file) {
            fileAppenders.add(file);
            return true;
        }
        return false;
    }

    /** Opens the audit-file appenders' files and starts their writers; warns of appenders that may drop lines. */
    @Override
    public void start() throws IOException {
        for (AuditFileAppender file : fileAppenders) {
            file.activate(metrics, clock);
        }
        if (fileAppenders.isEmpty()) {
            LOG.warn("The '{}' logger has no audit-file appender: requests are served whether or not their audit lines"
                    + " can be written", LOGGER);
        }
        for (AsyncAppenderBase<ILoggingEvent> async : asyncAppenders) {
            if (async.getDiscardingThreshold() != 0 || async.isNeverBlock()) {
                LOG.warn("The audit appender {} drops lines when its queue fills (discardingThreshold {}, neverBlock"
                        + " {}); set discardingThreshold: 0 and neverBlock: false to keep every line",
                        async.getName(), async.getDiscardingThreshold(), async.isNeverBlock());
            }
        }
    }

    /**
     * Hands each asynchronous appender's queue to its appenders and stops them, which writes out the audit files.
     * The file appenders are stopped here too: their logging thread stops them as it ends, but if it was interrupted
     * while it waited for room, that stop returns before the file is written out, and this one finishes it.
     */
    @Override
    public void stop() {
        asyncAppenders.forEach(AsyncAppenderBase::stop);
        fileAppenders.forEach(AuditFileAppender::stop);
        LOG.info("The audit log is written out and closed: {} lines written since the start, {} lost",
                metrics.meter("audit.written").getCount(), metrics.counter("audit.lost").getCount());
    }

    @Override
    public void record(AuditEvent event) {
        if (!logging()) {
            // A logging thread that died would never empty its queue, and the next request would wait in it for good.
            metrics.counter("audit.lost").inc();
            return;
        }
        String line;
        try {
            line = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An audit event cannot be written as JSON", e);
        }
        LoggingEvent logged = new LoggingEvent(FQCN, logger, Level.INFO, line, null, null);
        logged.addMarker(RECORD);
        logged.setMDCPropertyMap(fieldsNeeded ? fieldsOf(event) : Map.of());
        logger.callAppenders(logged);
    }

    /** The event's fields as text, by the names the JSON line gives them; fields without a value are left out. */
    private Map<String, String> fieldsOf(AuditEvent event) {
        Map<String, String> byName = new LinkedHashMap<>();
        fields.valueToTree(event).fields().forEachRemaining(field -> {
            if (!field.getValue().isNull()) {
                byName.put(field.getKey(), field.getValue().asText());
            }
        });
        return byName;
    }

    @Override
    public boolean accepting() {
        if (!logging()) {
            return fileAppenders.stream().noneMatch(AuditFileAppender::isFailClosed);
        }
        for (AuditFileAppender file : fileAppenders) {
            if (!file.accepting()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the logging threads in front of the audit files are there to take lines: each asynchronous appender is
     * started and attached to the audit logger (a logging reset detaches and stops them), and the thread that feeds
     * its audit file is alive.
     */
    private boolean logging() {
        for (AsyncAppenderBase<ILoggingEvent> async : asyncAppenders) {
            if (!async.isStarted() || !logger.isAttached(async)) {
                return false;
            }
        }
        for (AuditFileAppender file : fileAppenders) {
            if (!file.isFedByALiveThread()) {
                return false;
            }
        }
        return true;
    }

    /** Why an audit file cannot be written, and since when; null while every one can. */
    public String failure() {
        if (!logging()) {
            return "the logging thread that writes the audit files has stopped or died; restart the server";
        }
        for (AuditFileAppender file : fileAppenders) {
            String failure = file.failure();
            if (failure != null) {
                return file.path() + ": " + failure;
            }
        }
        return null;
    }

    /** The audit files, for the health check's message. */
    public List<String> files() {
        return fileAppenders.stream().map(file -> file.path().toString()).toList();
    }

    private int queued() {
        int queued = 0;
        for (AsyncAppenderBase<ILoggingEvent> async : asyncAppenders) {
            queued += async.getNumberOfElementsInQueue();
        }
        for (AuditFileAppender file : fileAppenders) {
            queued += file.queued();
        }
        return queued;
    }

    private static <T> List<T> list(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
