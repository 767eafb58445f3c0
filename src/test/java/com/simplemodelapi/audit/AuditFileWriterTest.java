package com.simplemodelapi.audit;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.NamedPipe;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.SettableClock;
import com.simplemodelapi.testing.TestData;
import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
        awaitLines(file, 1);

        Files.delete(file);
        Files.delete(dir);
        awaitWritable(false);
        assertThat(writer.accepting()).isFalse();
        assertThat(writer.failure()).contains("NoSuchFileException");
        writer.record(event("during-1"));
        writer.record(event("during-2"));

        Files.createDirectory(dir);
        awaitWritable(true);
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
        awaitWritable(false);
        assertThat(writer.accepting()).isFalse();
        assertThat(writer.failure()).contains("No space left on device");

        Files.delete(file);
        awaitWritable(true);
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
        awaitLines(file, 1);

        assertThat(file.toFile().setWritable(false)).isTrue();
        awaitWritable(false);
        writer.record(event("b"));

        assertThat(file.toFile().setWritable(true)).isTrue();
        awaitWritable(true);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("a", "b");
    }

    @Test
    void aDirectoryThisProcessCannotWriteIsNamedWithItsOwnerAndWhatToDo() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("logs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            writer = start(dir.resolve("audit.log"), true);
            awaitWritable(false);

            long uid = new UnixSystem().getUid();
            assertThat(writer.accepting()).isFalse();
            assertThat(writer.failure()).contains("AccessDeniedException")
                    .contains("the directory " + dir.toAbsolutePath() + ", owned by uid " + uid + ",")
                    .contains("is not writable by this server's uid " + uid)
                    .contains("chown " + uid + " " + dir.toAbsolutePath());

            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            awaitWritable(true);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void failingOpenKeepsAcceptingAndCountsWhatIsLost() throws Exception {
        Path file = temp.resolve("audit.log");
        Files.createSymbolicLink(file, Path.of("/dev/full"));
        writer = start(file, false);
        writer.record(event("lost-1"));
        writer.record(event("lost-2"));
        Poll.until(Poll.PATIENCE, () -> metrics.counter("audit.lost").getCount(), lost -> lost == 2, "audit.lost at 2");
        assertThat(writer.isWritable()).isFalse();
        assertThat(writer.accepting()).isTrue();

        Files.delete(file);
        writer.record(event("kept"));
        awaitWritable(true);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("kept");
        assertThat(metrics.counter("audit.lost").getCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "with its clock at {0}")
    @ValueSource(strings = {"2001-03-04T23:59:59Z", "2093-11-29T23:59:59Z"})
    void itRollsAtMidnightUtcByItsClockAndDeletesRolledFilesPastTheRetention(Instant lastSecond) throws Exception {
        LocalDate day = LocalDate.ofInstant(lastSecond, ZoneOffset.UTC);
        Path file = temp.resolve("audit.log");
        Files.writeString(temp.resolve("audit.log." + day.minusDays(8) + ".gz"), "old logback archive\n");
        Files.writeString(temp.resolve("audit.log." + day.minusDays(3)), "past the retention\n");
        Files.writeString(temp.resolve("audit.log." + day.minusDays(2)), "kept\n");
        clock.set(lastSecond);
        writer = start(file, true);
        writer.record(event("day-1"));
        awaitLines(file, 1);

        clock.set(lastSecond.plusSeconds(2));
        writer.record(event("day-2"));
        Path rolled = temp.resolve("audit.log." + day);
        Poll.until(Poll.PATIENCE, this::fileNames, names -> names.contains(rolled.getFileName().toString()),
                "the file rolled to " + rolled.getFileName());
        writer.stop();
        writer = null;

        assertThat(requestIds(rolled)).containsExactly("day-1");
        assertThat(requestIds(file)).containsExactly("day-2");
        // Three days kept, counted back from the new day.
        assertThat(temp.resolve("audit.log." + day.minusDays(2))).exists();
        assertThat(temp.resolve("audit.log." + day.minusDays(3))).doesNotExist();
        assertThat(temp.resolve("audit.log." + day.minusDays(8) + ".gz")).doesNotExist();
    }

    @Test
    void aWriterThreadThatDiesMakesTheLogUnwritableAndNoCallerEverWaitsOnIt() throws Exception {
        Path file = temp.resolve("audit.log");
        writer = start(file, settings(file, true, 16, Duration.ofSeconds(1)));
        writer.record(event("before"));
        awaitLines(file, 1);

        // The writer reads the clock when it opens the file for its next batch; an InternalError says the JVM is broken.
        clock.failNextReadingWith(new InternalError("simulated failure of the JVM"));
        writer.record(event("kills-the-writer"));
        Poll.until(Poll.PATIENCE, () -> String.valueOf(writer.failure()), failure -> failure.contains("died"),
                "the writer reported dead");
        assertThat(writer.accepting()).as("failing closed, requests are refused").isFalse();
        assertThat(writer.failure()).contains("simulated failure of the JVM");
        long queuedBefore = queued();

        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> manyRecords = caller.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    writer.record(event("after-" + i));
                }
            });
            manyRecords.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            caller.shutdownNow();
        }
        assertThat(queued()).isEqualTo(16);
        assertThat(metrics.counter("audit.lost").getCount()).as("what did not fit in the queue")
                .isEqualTo(100 - (16 - queuedBefore));
    }

    @Test
    void anOutOfMemoryErrorInTheWriterIsAFailedWriteThatItRecoversFrom() throws Exception {
        Path file = temp.resolve("audit.log");
        writer = start(file, true);
        writer.record(event("first"));
        awaitLines(file, 1);

        clock.failNextReadingWith(new OutOfMemoryError("simulated: an artifact too large for the heap"));
        writer.record(event("second"));
        awaitLines(file, 2);
        writer.record(event("third"));
        awaitLines(file, 3);
        writer.stop();
        writer = null;

        assertThat(requestIds(file)).containsExactly("first", "second", "third");
        assertThat(metrics.counter("audit.lost").getCount()).isZero();
    }

    @Test
    void aWriterStuckInAWriteThatNeverReturnsMakesTheLogUnwritableUntilItMovesAgain() throws Exception {
        Path fifo = temp.resolve("audit.log");
        // A pipe nobody reads: once its 64 KiB buffer is full, the writer's next write blocks, as on a hung network disk.
        NamedPipe namedPipe = NamedPipe.at(fifo);
        writer = start(fifo, settings(fifo, true, 16, Duration.ofDays(1)));
        InputStream pipe = namedPipe.reader();

        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> records = caller.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    writer.record(event("line-" + i));
                }
            });
            records.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            caller.shutdownNow();
        }
        assertThat(writer.failure()).contains("has written nothing for");
        assertThat(writer.accepting()).isFalse();
        long lost = metrics.counter("audit.lost").getCount();
        assertThat(lost).isPositive();

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> {
            try (pipe) {
                pipe.transferTo(read);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        awaitWritable(true);
        writer.stop();
        writer = null;
        drain.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);

        long lines = read.toString(StandardCharsets.UTF_8).lines().count();
        assertThat(lines + lost).isEqualTo(2_000);
    }

    @Test
    void writtenLinesAreForcedToTheDiskOncePerIntervalAndAtStop() throws Exception {
        Path file = temp.resolve("audit.log");
        writer = start(file, settings(file, true, 16, Duration.ofHours(1)));
        writer.record(event("a"));
        awaitLines(file, 1);
        assertThat(metrics.meter("audit.forced").getCount()).as("the first force is due in an hour").isZero();
        writer.stop();
        writer = null;
        assertThat(metrics.meter("audit.forced").getCount()).as("forced at stop").isEqualTo(1);

        MetricRegistry everyWrite = new MetricRegistry();
        writer = new AuditFileWriter(settings(file, true, 16, Duration.ZERO), everyWrite, clock);
        writer.start();
        writer.record(event("b"));
        Poll.until(Poll.PATIENCE, () -> everyWrite.meter("audit.forced").getCount(), count -> count == 1,
                "a force right after the write");
    }

    @Test
    void aLogThatIsNotARegularFileIsWrittenWithoutForcing() throws Exception {
        Path devNull = temp.resolve("audit.log");
        Files.createSymbolicLink(devNull, Path.of("/dev/null"));
        writer = start(devNull, settings(devNull, true, 16, Duration.ZERO));
        for (int i = 1; i <= 3; i++) {
            writer.record(event("line-" + i));
            int written = i;
            Poll.until(Poll.PATIENCE, () -> metrics.meter("audit.written").getCount(), count -> count == written,
                    "line " + i + " written to /dev/null");
        }

        assertThat(writer.failure()).isNull();
        assertThat(writer.accepting()).isTrue();
        assertThat(metrics.meter("audit.forced").getCount()).isZero();
    }

    private long queued() {
        return writer.queued();
    }

    private AuditFileWriter start(Path file, boolean failClosed) throws IOException {
        return start(file, settings(file, failClosed, 65_536, Duration.ofSeconds(1)));
    }

    private AuditFileWriter start(Path file, AuditSettings settings) throws IOException {
        AuditFileWriter started = new AuditFileWriter(settings, metrics, clock);
        started.start();
        return started;
    }

    private static AuditSettings settings(Path file, boolean failClosed, int queueSize, Duration forceInterval) {
        return new AuditSettings(file, 3, failClosed, queueSize, forceInterval);
    }

    /** One audit line, as the audit logger makes it. */
    private static byte[] event(String requestId) {
        try {
            return TestData.JSON.writeValueAsBytes(new AuditEvent(Instant.EPOCH, requestId, requestId, "alice", 7L, "POST",
                    "/v1/models/m/predict", 200, 1.5, "m", 1, 1, "127.0.0.1", "test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static void awaitLines(Path file, int count) {
        Poll.until(Poll.PATIENCE, () -> lines(file), lines -> lines.size() == count, count + " lines in " + file);
    }

    private void awaitWritable(boolean writable) {
        Poll.until(Poll.PATIENCE, () -> Objects.requireNonNullElse(writer.failure(), "writable"),
                state -> writable == state.equals("writable"), writable ? "a writable log" : "an unwritable log");
    }

    private List<String> fileNames() {
        try (var files = Files.list(temp)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }
}
