package com.simplemodelapi.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.codahale.metrics.MetricRegistry;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit logger over a real audit-file appender, built by its Dropwizard factory and wrapped in Dropwizard's
 * asynchronous appender, as config.yml sets them up.
 */
class AuditLoggerTest {
    @TempDir
    Path temp;

    private final Logger audit = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(AuditLogger.LOGGER);
    private final MetricRegistry metrics = new MetricRegistry();
    private Path file;

    @BeforeEach
    void auditFileAppender() {
        file = temp.resolve("audit.log");
        AuditFileAppenderFactory factory = new AuditFileAppenderFactory();
        factory.setFile(file.toString());
        audit.setAdditive(false);
        audit.addAppender(factory.build(audit.getLoggerContext(), "test", new DropwizardLayoutFactory(),
                new ThresholdLevelFilterFactory(), new AsyncLoggingEventAppenderFactory()));
    }

    @AfterEach
    void detach() {
        audit.detachAndStopAllAppenders();
        audit.setAdditive(true);
    }

    @Test
    void twentyThousandLinesRecordedInABurstAreAllInTheFileWhenStopReturns() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        for (int i = 0; i < 20_000; i++) {
            auditLog.record(new AuditEvent(Instant.EPOCH, "r-" + i, "s-" + i, "alice", "GET", "/v1/me", 200, 0.5,
                    null, null, null, "127.0.0.1", "test"));
        }

        auditLog.stop();

        assertThat(Files.readAllLines(file)).as("lines in the file the moment stop returns").hasSize(20_000);
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void aLineRecordedJustBeforeStopIsTheEventsJsonInTheFileWhenStopReturns() throws Exception {
        AuditLogger auditLog = new AuditLogger(TestData.JSON, metrics, new SettableClock(Instant.EPOCH));
        auditLog.start();
        AuditEvent event = new AuditEvent(Instant.parse("2031-03-14T10:00:00Z"), "client-id", "server-id", null,
                "POST", "/v1/models/m/predict", 401, 1.25, null, null, null, "127.0.0.1", null);

        auditLog.record(event);
        auditLog.stop();

        assertThat(Files.readAllLines(file)).containsExactly(TestData.JSON.writeValueAsString(event));
        assertThat(auditLog.accepting()).isTrue();
    }
}
