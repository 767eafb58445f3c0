package com.simplemodelapi.audit;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit writer against a real file system: every record kept, and every way the file can break noticed. */
class AuditFileWriterTest {
    @TempDir
    Path temp;

    private final MetricRegistry metrics = new MetricRegistry();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private AuditFileWriter writer;

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.stop();
        }
    }

    @Test
    void recordsFromManyThreadsAreAllWrittenWhenItStops() throws Exception {
        Path file = temp.resolve("logs/audit.log");
        writer = start(file, true);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 5_000; i++) {
                    writer.record(event(thread + "-" + i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).hasSize(40_000).doesNotHaveDuplicates();
        assertThat(metrics.meter("audit.written").getCount()).isEqualTo(40_000);
    }

    @Test
    void aRemovedDirectoryFailsClosedKeepsTheRecordsAndRecoversWhenItIsBack() throws Exception {
        Path dir = temp.resolve("logs");
        Path file = dir.resolve("audit.log");
        writer = start(file, true);
        writer.record(event("before"));
        await(() -> lines(file).size() == 1);

        Files.delete(file);
        Files.delete(dir);
        await(() -> !writer.isWritable());
        assertThat(writer.accepting()).isFalse();
        assertThat(writer.failure()).contains("NoSuchFileException");
        writer.record(event("during-1"));
        writer.record(event("during-2"));

        Files.createDirectory(dir);
        await(writer::isWritable);
        assertThat(writer.accepting()).isTrue();
        writer.record(event("after"));
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("during-1", "during-2", "after");
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void aFullDiskFailsClosedAndTheBatchIsWrittenWholeOnceThereIsSpace() throws Exception {
        Path file = temp.resolve("audit.log");
        Files.createSymbolicLink(file, Path.of("/dev/full"));
        writer = start(file, true);
        writer.record(event("a"));
        writer.record(event("b"));
        await(() -> !writer.isWritable());
        assertThat(writer.accepting()).isFalse();
        assertThat(writer.failure()).contains("No space left on device");

        Files.delete(file);
        await(writer::isWritable);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("a", "b");
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void aFileMadeReadOnlyIsNoticedAndWritingResumesWhenItIsWritableAgain() throws Exception {
        Path file = temp.resolve("audit.log");
        writer = start(file, true);
        writer.record(event("a"));
        await(() -> lines(file).size() == 1);

        assertThat(file.toFile().setWritable(false)).isTrue();
        await(() -> !writer.isWritable());
        writer.record(event("b"));

        assertThat(file.toFile().setWritable(true)).isTrue();
        await(writer::isWritable);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("a", "b");
    }

    @Test
    void failingOpenKeepsAcceptingAndCountsWhatIsLost() throws Exception {
        Path file = temp.resolve("audit.log");
        Files.createSymbolicLink(file, Path.of("/dev/full"));
        writer = start(file, false);
        writer.record(event("lost-1"));
        writer.record(event("lost-2"));
        await(() -> metrics.counter("audit.lost").getCount() == 2);
        assertThat(writer.isWritable()).isFalse();
        assertThat(writer.accepting()).isTrue();

        Files.delete(file);
        writer.record(event("kept"));
        await(writer::isWritable);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("kept");
        assertThat(metrics.counter("audit.lost").getCount()).isEqualTo(2);
    }

    @Test
    void itRollsAtMidnightUtcAndDeletesRolledFilesPastTheRetention() throws Exception {
        Path file = temp.resolve("audit.log");
        Files.writeString(temp.resolve("audit.log.2026-11-20.gz"), "old logback archive\n");
        Files.writeString(temp.resolve("audit.log.2026-11-27"), "kept\n");
        writer = start(file, true);
        writer.record(event("day-1"));
        await(() -> lines(file).size() == 1);

        clock.set(Instant.parse("2026-11-30T00:00:01Z"));
        writer.record(event("day-2"));
        await(() -> Files.exists(temp.resolve("audit.log.2026-11-29")));
        writer.stop();
        writer = null;

        assertThat(requestIds(temp.resolve("audit.log.2026-11-29"))).containsExactly("day-1");
        assertThat(requestIds(file)).containsExactly("day-2");
        // Three days kept: the 27th stays, the 20th goes.
        assertThat(temp.resolve("audit.log.2026-11-27")).exists();
        assertThat(temp.resolve("audit.log.2026-11-20.gz")).doesNotExist();
    }

    private AuditFileWriter start(Path file, boolean failClosed) throws IOException {
        AuditSettings settings = new AuditSettings();
        settings.setFile(file.toString());
        settings.setRetentionDays(3);
        settings.setFailClosed(failClosed);
        AuditFileWriter started = new AuditFileWriter(settings, TestData.JSON, metrics, clock);
        started.start();
        return started;
    }

    private static AuditEvent event(String requestId) {
        return new AuditEvent(Instant.now(), requestId, "alice", "POST", "/v1/models/m/predict", 200, 1.5,
                "m", 1, 1, "127.0.0.1", "test");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The request ids in the file, in order; every line must be one whole JSON object. */
    private static List<String> requestIds(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode event = TestData.JSON.readTree(line);
            ids.add(event.get("request_id").asText());
        }
        return ids;
    }

    private static void await(BooleanSupplier condition) {
        Poll.until(Duration.ofSeconds(10), condition::getAsBoolean, Boolean::booleanValue, "the condition");
    }

    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
