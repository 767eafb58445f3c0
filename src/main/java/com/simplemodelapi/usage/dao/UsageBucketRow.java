package com.simplemodelapi.usage.dao;

import java.math.BigDecimal;
import java.time.Instant;

/** Usage added up over a bucket (a minute, hour or day) for one model version, or for a user. */
public record UsageBucketRow(Instant start, String userName, String model, int version, long requests,
                             long instances, long errors, BigDecimal durationMs) {
}
