package com.simplemodelapi.usage.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * A user's calls to one model version in one bucket (a minute, hour or day starting at {@code start}, UTC): requests,
 * the instances they predicted, the requests that failed, and their mean duration.
 */
public record UsageBucket(Instant start, String model, int version, long requests, long instances, long errors,
                          @JsonProperty("mean_duration_ms") double meanDurationMs) {
}
