package com.simplemodelapi.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an audit log file as a test sees it: one JSON object a line, written by a thread of its own. */
public final class AuditLines {
    private AuditLines() {
    }

    /** Every line, parsed; none while the file does not exist yet. */
    public static List<JsonNode> read(Path file) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
                lines.add(TestData.JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit log " + file, e);
        }
        return lines;
    }

    /** The request ids of every line, in order. */
    public static List<String> requestIds(Path file) {
        return read(file).stream().map(line -> line.get("request_id").asText()).toList();
    }

    /** The whole file as text, once it holds the given request's line (for tests that look for what is not there). */
    public static String awaitText(Path file, String requestId) {
        awaitRequestId(file, requestId, 1);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit log " + file, e);
        }
    }

    /** The lines of requests with this {@code request_id}, waited for until there are {@code count} of them. */
    public static List<JsonNode> awaitRequestId(Path file, String requestId, int count) {
        return Poll.until(Poll.PATIENCE,
                () -> read(file).stream().filter(line -> line.path("request_id").asText().equals(requestId)).toList(),
                found -> found.size() == count, count + " audit lines with request_id " + requestId + " in " + file);
    }
}
