package com.simplemodelapi.changes.dao;

import java.time.Instant;

/** A row of {@code operator_changes}: one change an operator's command made, with its details as JSON text. */
public record OperatorChange(long id, Instant changedAt, String osUser, String command, String target,
                             String details) {
}
