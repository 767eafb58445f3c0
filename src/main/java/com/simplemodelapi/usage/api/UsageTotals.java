package com.simplemodelapi.usage.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The buckets of a usage report added up. */
public record UsageTotals(long requests, long instances, long errors,
                          @JsonProperty("mean_duration_ms") double meanDurationMs) {
}
