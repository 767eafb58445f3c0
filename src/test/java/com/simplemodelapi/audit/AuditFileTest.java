package com.simplemodelapi.audit;

import com.simplemodelapi.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which day an audit file belongs to, decided by the writer's clock alone. The clock is set far from the real date,
 * in both directions, and every file time the decision reads is set explicitly, so nothing here depends on today.
 */
class AuditFileTest {
    private static final Instant MORNING = Instant.parse("2031-03-14T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2031, 3, 14);

    @TempDir
    Path temp;

    private final SettableClock clock = new SettableClock(MORNING);

    @Test
    void aFileFoundFromYesterdayIsRolledUnderYesterdaysDate() throws IOException {
        Path path = found("yesterday\n", MORNING.minus(Duration.ofDays(1)));

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "today");
        }

        assertThat(temp.resolve("audit.log.2031-03-13")).hasContent("yesterday");
        assertThat(path).hasContent("today");
    }

    @Test
    void aFileFoundFromEarlierTodayIsAppendedTo() throws IOException {
        Path path = found("earlier\n", Instant.parse("2031-03-14T00:00:01Z"));

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "later");
        }

        assertThat(path).hasContent("earlier\nlater");
        assertThat(rolledFiles()).isZero();
    }

    @Test
    void aFileFoundFromTheFutureIsAppendedToAndRolledUnderTodaysDateAtMidnight() throws IOException {
        Path path = found("from a clock ahead\n", MORNING.plus(Duration.ofDays(3)));

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "today");
            assertThat(rolledFiles()).isZero();

            clock.set(Instant.parse("2031-03-15T00:00:01Z"));
            append(file, "tomorrow");
        }

        assertThat(temp.resolve("audit.log.2031-03-14")).hasContent("from a clock ahead\ntoday");
        assertThat(path).hasContent("tomorrow");
    }

    @Test
    void aFileThisWriterOpenedRollsAtMidnightUtcByItsClockWhateverTheFileTimeSays() throws IOException {
        Path path = temp.resolve("audit.log");
        clock.set(Instant.parse("2031-03-14T23:59:59Z"));

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "before midnight");
            // What the file system says must not matter: neither a time from another day...
            Files.setLastModifiedTime(path, FileTime.from(MORNING.minus(Duration.ofDays(40))));
            append(file, "still the 14th");
            clock.set(Instant.parse("2031-03-15T00:00:00Z"));
            // ...nor one from the next day.
            Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2031-03-15T12:00:00Z")));
            append(file, "after midnight");
        }

        assertThat(temp.resolve("audit.log.2031-03-14")).hasContent("before midnight\nstill the 14th");
        assertThat(path).hasContent("after midnight");
        assertThat(rolledFiles()).isEqualTo(1);
    }

    @Test
    void aFileThisWriterOpenedIsRecognisedWhenItReopensItAfterAFailure() throws IOException {
        Path path = temp.resolve("audit.log");

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "the 14th");
            assertThat(path.toFile().setWritable(false)).isTrue();
            assertThatThrownBy(file::ensureOpen).isInstanceOf(IOException.class);
            clock.set(Instant.parse("2031-03-15T08:00:00Z"));
            assertThat(path.toFile().setWritable(true)).isTrue();
            // Modified "today" by the file system's clock, but written on the 14th by this writer's.
            Files.setLastModifiedTime(path, FileTime.from(clock.instant()));
            append(file, "the 15th");
        }

        assertThat(temp.resolve("audit.log.2031-03-14")).hasContent("the 14th");
        assertThat(path).hasContent("the 15th");
    }

    @Test
    void aClockSteppedBackAcrossMidnightDoesNotRoll() throws IOException {
        Path path = temp.resolve("audit.log");

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "the 14th");
            clock.set(MORNING.minus(Duration.ofDays(1)));
            append(file, "the 13th, by a clock stepped back");
        }

        assertThat(path).hasContent("the 14th\nthe 13th, by a clock stepped back");
        assertThat(rolledFiles()).isZero();
    }

    @Test
    void aSecondRollOnOneDayGetsANumberedName() throws IOException {
        Files.writeString(temp.resolve("audit.log.2031-03-13"), "rolled before\n");
        Path path = found("yesterday\n", MORNING.minus(Duration.ofDays(1)));

        try (AuditFile file = new AuditFile(path, 30, clock)) {
            append(file, "today");
        }

        assertThat(temp.resolve("audit.log.2031-03-13")).hasContent("rolled before");
        assertThat(temp.resolve("audit.log.2031-03-13.1")).hasContent("yesterday");
    }

    @Test
    void aRollDeletesRolledFilesOlderThanTheRetentionCountedFromTodayByTheClock() throws IOException {
        for (int daysAgo : new int[] {1, 3, 4, 9}) {
            Files.writeString(temp.resolve("audit.log." + TODAY.minusDays(daysAgo)), "rolled\n");
        }
        Files.writeString(temp.resolve("audit.log." + TODAY.minusDays(20) + ".gz"), "compressed elsewhere\n");
        Files.writeString(temp.resolve("audit.log.notes"), "not a rolled file\n");
        Path path = found("yesterday\n", MORNING.minus(Duration.ofDays(1)));

        try (AuditFile file = new AuditFile(path, 3, clock)) {
            append(file, "today");
        }

        assertThat(temp.resolve("audit.log.2031-03-13")).exists();
        assertThat(temp.resolve("audit.log.2031-03-13.1")).hasContent("yesterday");
        assertThat(temp.resolve("audit.log.2031-03-11")).exists();
        assertThat(temp.resolve("audit.log.2031-03-10")).doesNotExist();
        assertThat(temp.resolve("audit.log.2031-03-05")).doesNotExist();
        assertThat(temp.resolve("audit.log.2031-02-22.gz")).doesNotExist();
        assertThat(temp.resolve("audit.log.notes")).exists();
    }

    /** A file left at the path as an earlier run would leave it, last modified at the given time. */
    private Path found(String content, Instant lastModified) throws IOException {
        Path path = temp.resolve("audit.log");
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, FileTime.from(lastModified));
        return path;
    }

    private static void append(AuditFile file, String line) throws IOException {
        file.append(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private long rolledFiles() throws IOException {
        try (var files = Files.list(temp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("audit.log.")).count();
        }
    }
}
