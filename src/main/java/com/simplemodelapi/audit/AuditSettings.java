package com.simplemodelapi.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the audit file writer is told: where the file is, how many days of rolled files to keep, what happens while it
 * cannot be written (failing closed refuses requests, failing open drops and counts lines), how many lines it holds in
 * memory, and how often it forces them to the disk (zero: after every write).
 */
public record AuditSettings(Path file, int retentionDays, boolean failClosed, int queueSize, Duration forceInterval) {
}
