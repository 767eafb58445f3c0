package com.simplemodelapi.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.NamedPipe;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.SettableClock;
import com.simplemodelapi.testing.TestData;
import io.dropwizard.logging.common.async.AsyncLoggingEventAppenderFactory;
import io.dropwizard.logging.common.filter.ThresholdLevelFilterFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit logger over a real audit-file appender, built by its Dropwizard factory and wrapped in Dropwizard's
 * asynchronous appender, as config.yml sets them up.
 */
class AuditLoggerTest {
    @TempDir
    Path temp;

    private final Logger audit = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(AuditLogger.LOGGER);
    private static final int QUEUE = 16;

    private final MetricRegistry metrics = new MetricRegistry();
    private Path file;

    @BeforeEach
    void auditFileAppender() {
        file = temp.resolve("audit.log");
        attachAuditFileAppender(QUEUE);
    }

    private void attachAuditFileAppender(int queueSize) {
        audit.detachAndStopAllAppenders();
        AuditFileAppenderFactory factory = new AuditFileAppenderFactory();
        factory.setFile(file.toString());
        factory.setQueueSize(queueSize);
        audit.setAdditive(false);
        audit.addAppender(factory.build(audit.getLoggerContext(), "test", new DropwizardLayoutFactory(),
                new ThresholdLevelFilterFactory(), new AsyncLoggingEventAppenderFactory()));
    }

    @AfterEach
    void detach() {
        audit.detachAndStopAllAppenders();
        audit.setAdditive(true);
        // What these tests made logback note (a line refused, a logging thread that died) is not for later tests:
        // Dropwizard prints every note when it next sets up logging, on what a CLI test reads as its stderr.
        audit.getLoggerContext().getStatusManager().clear();
    }

    @Test
    void twentyThousandLinesRecordedInABurstAreAllInTheFileWhenStopReturns() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        for (int i = 0; i < 20_000; i++) {
            auditLog.record(new AuditEvent(Instant.EPOCH, "r-" + i, "s-" + i, "alice", 7L, "GET", "/v1/me", 200, 0.5,
                    null, null, null, "127.0.0.1", "test"));
        }

        auditLog.stop();

        assertThat(Files.readAllLines(file)).as("lines in the file the moment stop returns").hasSize(20_000);
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void stopWaitsUntilEveryQueuedLineIsWrittenWhileTheFileTakesThemSlowly() throws Exception {
        attachAuditFileAppender(4_096);
        NamedPipe namedPipe = NamedPipe.at(file);
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        InputStream pipe = namedPipe.reader();
        int lines = 1_000;
        for (int i = 0; i < lines; i++) {
            auditLog.record(event("line-" + i));
        }
        // Nobody reads the pipe yet: once its 64 KiB are full, the rest of the lines wait in the queues.
        AtomicLong writtenWhenStopReturned = new AtomicLong(-1);
        Thread stopping = new Thread(() -> {
            auditLog.stop();
            writtenWhenStopReturned.set(metrics.meter("audit.written").getCount());
        }, "stopping the audit log");
        stopping.start();
        Poll.until(Poll.PATIENCE, stopping::getState,
                state -> state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.TERMINATED, "stop() waiting or returned");
        assertThat(metrics.meter("audit.written").getCount()).as("lines written while the pipe is full")
                .isLessThan(lines);

        CompletableFuture<String> readToTheEnd = CompletableFuture.supplyAsync(() -> {
            try (pipe) {
                return new String(pipe.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        stopping.join(Poll.PATIENCE.toMillis());

        assertThat(writtenWhenStopReturned.get()).as("lines written when stop() returned").isEqualTo(lines);
        assertThat(readToTheEnd.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS).lines()).hasSize(lines);
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void aLineRecordedJustBeforeStopIsTheEventsJsonInTheFileWhenStopReturns() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        AuditEvent event = new AuditEvent(Instant.parse("2031-03-14T10:00:00Z"), "client-id", "server-id", null, null,
                "POST", "/v1/models/m/predict", 401, 1.25, null, null, null, "127.0.0.1", null);

        auditLog.record(event);
        auditLog.stop();

        assertThat(Files.readAllLines(file)).containsExactly(TestData.JSON.writeValueAsString(event));
    }

    @Test
    void aLineLoggedToTheAuditLoggerByAnythingElseIsNotWrittenToTheAuditFile() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();

        LoggerFactory.getLogger(AuditLogger.LOGGER).info("{\"request_id\":\"forged\"}");
        auditLog.record(event("real"));
        auditLog.stop();

        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"request_id\":\"real\"");
    }

    @Test
    void aLoggingThreadThatDiesStopsRequestsFailingClosedAndNobodyWaitsOnItsQueue() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        auditLog.record(event("before"));
        Poll.until(Poll.PATIENCE, () -> lines(), lines -> lines == 1, "the first line written");

        // The logging thread asks each event for its markers; an InternalError, which says the JVM is broken, ends it.
        audit.callAppenders(new LoggingEvent(AuditLoggerTest.class.getName(), audit, Level.INFO, "kills", null, null) {
            @Override
            public List<Marker> getMarkerList() {
                throw new InternalError("simulated failure of the JVM");
            }
        });
        Poll.until(Poll.PATIENCE, () -> String.valueOf(auditLog.failure()), failure -> failure.contains("died"),
                "the audit log reporting its logging thread dead");
        assertThat(auditLog.accepting()).as("failing closed").isFalse();

        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            caller.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    auditLog.record(event("after-" + i));
                }
            }).get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            caller.shutdownNow();
        }
        assertThat(metrics.counter("audit.lost").getCount()).isEqualTo(100);
    }

    @Test
    void onceStoppedTheAuditLogRefusesRequestsFailingClosed() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        assertThat(auditLog.accepting()).isTrue();

        auditLog.stop();

        assertThat(auditLog.accepting()).isFalse();
        assertThat(auditLog.failure()).isNotNull();
    }

    private static AuditEvent event(String requestId) {
        return new AuditEvent(Instant.EPOCH, requestId, requestId, "alice", 7L, "GET", "/v1/me", 200, 0.5, null, null,
                null, "127.0.0.1", "test");
    }

    private long lines() {
        return AuditLines.read(file).size();
    }
}
