package com.simplemodelapi.access.dao;

import java.time.Instant;

/** A row of {@code user_limits}, with its user's name. */
public record UserLimitsRow(String userName, Double ratePerSecond, Integer burst, Long dailyInstances,
                            Long monthlyInstances, Instant updatedAt) {
}
