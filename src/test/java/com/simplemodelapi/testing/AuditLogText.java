package com.simplemodelapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The audit log a test's server writes, as text. It is written by a thread of its own, so tests wait for a line. */
public final class AuditLogText {
    private AuditLogText() {
    }

    /** The whole log, once it holds the line of the given request. */
    public static String awaitRequest(Path auditLog, String requestId) {
        return Poll.until(Poll.PATIENCE, () -> read(auditLog), log -> log.contains(requestId),
                "an audit line for request " + requestId + " in " + auditLog);
    }

    /** The whole log; empty before the first line is written. */
    public static String read(Path auditLog) {
        try {
            return Files.exists(auditLog) ? Files.readString(auditLog) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
