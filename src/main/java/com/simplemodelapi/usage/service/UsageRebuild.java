package com.simplemodelapi.usage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.usage.dao.UsageDao;
import com.simplemodelapi.usage.dao.UsageRow;
import org.jdbi.v3.core.Jdbi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Recomputes the usage table from audit logs, as the servers counted it: each line is read back into the event it was
 * written from and counted by the same rules. The minutes from the first counted line's to the last's are replaced
 * whole, in one transaction, so rebuilding the same files twice gives the same rows. Give it every server's audit
 * files for the period: a minute's rows are replaced by what the files hold.
 */
public final class UsageRebuild {
    private final Jdbi jdbi;
    private final ObjectReader lines;

    /** What a rebuild did; {@code first} and {@code last} are null when the files held no call to count. */
    public record Result(Instant first, Instant last, int rows, long requests, long lines, long unreadable,
                         int deleted) {
    }

    public UsageRebuild(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = jdbi;
        // Lines written by another version of the server may hold fields this one does not know.
        this.lines = json.readerFor(AuditEvent.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Result rebuild(List<Path> files) {
        Map<UsageKey, UsageCounts> counted = new HashMap<>();
        long read = 0;
        long unreadable = 0;
        for (Path file : files) {
            try (BufferedReader reader = open(file)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    read++;
                    AuditEvent event = event(line);
                    if (event == null) {
                        unreadable++;
                        continue;
                    }
                    UsageKey key = UsageKey.of(event);
                    if (key != null) {
                        counted.merge(key, UsageCounts.of(event), UsageCounts::plus);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new AuditFileMissingException("There is no audit file " + file + ".");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the audit file " + file, e);
            }
        }
        if (counted.isEmpty()) {
            return new Result(null, null, 0, 0, read, unreadable, 0);
        }
        List<UsageRow> rows = new ArrayList<>();
        counted.forEach((key, counts) -> rows.add(UsageFlusher.row(key, counts)));
        rows.sort(Comparator.comparing(UsageRow::minute).thenComparing(UsageRow::userName));
        Instant first = rows.get(0).minute();
        Instant last = rows.get(rows.size() - 1).minute();
        int deleted = jdbi.inTransaction(handle -> {
            UsageDao usage = handle.attach(UsageDao.class);
            int gone = usage.deleteBetween(first, last);
            usage.insert(rows);
            return gone;
        });
        long requests = rows.stream().mapToLong(UsageRow::requests).sum();
        return new Result(first, last, rows.size(), requests, read, unreadable, deleted);
    }

    /** The event a line was written from, or null for a line that is not one (cut short by a crash, say). */
    private AuditEvent event(String line) {
        try {
            AuditEvent event = lines.readValue(line);
            return event.ts() == null ? null : event;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A rolled file may have been compressed by the operator; {@code .gz} files are read through gzip. */
    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
