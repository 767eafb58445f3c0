package com.simplemodelapi.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 date ({@code 2026-12-01}) or time ({@code 2026-12-01T09:30:00Z}) given as a bound of a period, in UTC
 * where it says no offset.
 *
 * @param date true for a date, which stands for the whole day
 * @param start the date's midnight UTC, or the time itself
 */
public record DateOrTime(boolean date, Instant start) {

    /** The value in {@code text}, or null when it is neither a date nor a time. */
    public static DateOrTime parse(String text) {
        try {
            return new DateOrTime(true, LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
            try {
                return new DateOrTime(false, OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException notAnOffsetTime) {
                try {
                    return new DateOrTime(false, LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException notATime) {
                    return null;
                }
            }
        }
    }

    /** As the end of a period: a date includes its whole day, so it ends at the next midnight. */
    public Instant end() {
        return date ? start.plusSeconds(86_400) : start;
    }
}
