package com.simplemodelapi.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects every log event of this JVM from now until {@link #close()}, including those of an application started
 * in the meantime: Dropwizard resets logback when it configures logging, so the collector attaches itself again
 * after every reset.
 */
public final class LogCapture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Collector collector = new Collector();
    private final Reattacher reattacher = new Reattacher();

    /** One log line as the tests look at it: who logged, at what level, the message, and any stack trace. */
    public record Line(String logger, Level level, String message, boolean hasStackTrace) {
    }

    private LogCapture() {
        collector.setContext(context);
        context.addListener(reattacher);
        attach();
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** The lines logged by the given class, in order. */
    public List<Line> of(Class<?> logger) {
        return of(logger.getName());
    }

    public List<Line> of(String loggerName) {
        return all().stream().filter(line -> line.logger().equals(loggerName)).toList();
    }

    public List<Line> all() {
        return events.stream().map(LogCapture::line).toList();
    }

    @Override
    public void close() {
        context.removeListener(reattacher);
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(collector);
        collector.stop();
    }

    private void attach() {
        collector.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(collector.getName()) == null) {
            root.addAppender(collector);
        }
    }

    private static Line line(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        boolean trace = false;
        for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
            trace |= t.getStackTraceElementProxyArray().length > 0;
        }
        return new Line(event.getLoggerName(), event.getLevel(), event.getFormattedMessage(), trace);
    }

    private final class Collector extends AppenderBase<ILoggingEvent> {
        Collector() {
            setName("test-log-capture-" + System.identityHashCode(this));
        }

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }

    private final class Reattacher implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext resetContext) {
            attach();
        }

        @Override
        public void onStart(LoggerContext startedContext) {
        }

        @Override
        public void onStop(LoggerContext stoppedContext) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}
