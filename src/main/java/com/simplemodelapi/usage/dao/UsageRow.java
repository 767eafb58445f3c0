package com.simplemodelapi.usage.dao;

import java.math.BigDecimal;
import java.time.Instant;

/** One row of the {@code usage} table: a user's calls to a model version in one minute, of one status class. */
public record UsageRow(String userName, String model, int version, Instant minute, String statusClass,
                       long requests, long instances, long errors, BigDecimal durationMs) {
}
