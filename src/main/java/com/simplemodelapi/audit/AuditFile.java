package com.simplemodelapi.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The audit log's current file, rolled at midnight UTC to {@code <file>.<yyyy-mm-dd>}, with rolled files older than
 * the retention deleted. Before each append it checks that the path still names the file it has open, so a file or
 * directory removed, replaced or made read-only under it is noticed and reopened rather than written into the void.
 * Used by the writer thread only.
 *
 * <p>Which day a file belongs to comes from one clock, the one handed in. A file this writer opened belongs to the
 * day it was opened on by that clock. A file found at the path (left by an earlier run, or put back) belongs to the
 * UTC day of its last modification: before today it is rolled under that day; today, or later than today (another
 * machine's clock, a clock stepped back), it is appended to and belongs to today.
 */
final class AuditFile implements AutoCloseable {
    private final Path path;
    private final int retentionDays;
    private final Clock clock;

    private FileChannel channel;
    /** The file this writer last opened, and its day; kept after a close, to recognise the file when reopening. */
    private Object openFileKey;
    private LocalDate openDay;
    private boolean openRegularFile;

    AuditFile(Path path, int retentionDays, Clock clock) {
        this.path = path.toAbsolutePath().normalize();
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    Path path() {
        return path;
    }

    /**
     * Appends whole lines. If the write fails part-way, the file is cut back to where it was, so a retry neither
     * duplicates nor tears a line.
     */
    void append(ByteBuffer lines) throws IOException {
        ensureOpen();
        long start = channel.size();
        try {
            while (lines.hasRemaining()) {
                channel.write(lines);
            }
        } catch (IOException e) {
            lines.rewind();
            try {
                channel.truncate(start);
            } catch (IOException | UnsupportedOperationException ignored) {
                // nothing more can be done for this file; the reopen on retry may reach a working one
            }
            closeQuietly();
            throw e;
        }
    }

    /**
     * Forces what was appended to the disk, so that it survives a crash of the machine, not only of the process. A
     * log that is not a regular file ({@code /dev/null}, a pipe to a collector) has nothing to force, and refuses to.
     * Returns whether it forced.
     */
    boolean force() throws IOException {
        if (channel == null || !openRegularFile) {
            return false;
        }
        channel.force(false);
        return true;
    }

    /** Opens, reopens or rolls the file as needed; throws when the file cannot be opened. */
    void ensureOpen() throws IOException {
        LocalDate today = LocalDate.now(clock);
        if (channel != null && (today.isAfter(openDay) || !Objects.equals(currentFileKey(), openFileKey)
                || !Files.isWritable(path))) {
            closeQuietly();
        }
        if (channel == null) {
            open(today);
        }
    }

    private void open(LocalDate today) throws IOException {
        if (Files.isRegularFile(path)) {
            LocalDate day = dayOfFileAtPath();
            if (day.isBefore(today)) {
                roll(day, today);
            }
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        openFileKey = currentFileKey();
        openDay = today;
        openRegularFile = Files.isRegularFile(path);
    }

    private LocalDate dayOfFileAtPath() throws IOException {
        Object key = currentFileKey();
        if (key != null && key.equals(openFileKey)) {
            return openDay;
        }
        return LocalDate.ofInstant(Files.getLastModifiedTime(path).toInstant(), ZoneOffset.UTC);
    }

    private void roll(LocalDate day, LocalDate today) throws IOException {
        Path rolled = path.resolveSibling(path.getFileName() + "." + day);
        for (int n = 1; Files.exists(rolled); n++) {
            rolled = path.resolveSibling(path.getFileName() + "." + day + "." + n);
        }
        Files.move(path, rolled);
        deleteExpired(today);
    }

    private void deleteExpired(LocalDate today) throws IOException {
        LocalDate oldestKept = today.minusDays(retentionDays);
        String prefix = path.getFileName() + ".";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(path.getParent(), prefix + "*")) {
            for (Path sibling : siblings) {
                LocalDate day = dayOf(sibling.getFileName().toString().substring(prefix.length()));
                if (day != null && day.isBefore(oldestKept)) {
                    Files.deleteIfExists(sibling);
                }
            }
        }
    }

    /** The date a rolled file's suffix starts with ({@code 2026-11-28}, {@code 2026-11-28.1}, {@code 2026-11-28.gz}). */
    private static LocalDate dayOf(String suffix) {
        if (suffix.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(suffix.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Object currentFileKey() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                // What this channel wrote must reach the disk too, though the file is being rolled or given up.
                if (openRegularFile) {
                    channel.force(false);
                }
            } catch (IOException ignored) {
                // a file that cannot be forced cannot be helped here; its lines are as safe as the page cache
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is being given up; what was written stays written
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
