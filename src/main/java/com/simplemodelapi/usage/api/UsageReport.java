package com.simplemodelapi.usage.api;

import java.time.Instant;
import java.util.List;

/**
 * The caller's usage from {@code from} (included) to {@code to} (excluded): the buckets with calls in them, oldest
 * first, and their totals. {@code model} is the model asked about, or null for all.
 */
public record UsageReport(String user, Instant from, Instant to, String granularity, String model,
                          List<UsageBucket> buckets, UsageTotals totals) {
}
