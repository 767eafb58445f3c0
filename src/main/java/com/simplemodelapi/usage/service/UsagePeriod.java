package com.simplemodelapi.usage.service;

import com.simplemodelapi.common.DateOrTime;
import com.simplemodelapi.error.ClientText;
import com.simplemodelapi.usage.service.InvalidUsageQueryException.Problem;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The period a usage query covers, from {@code from} (included) to {@code to} (excluded), cut into buckets of one
 * granularity in UTC. The API and the CLI take the same parameters and give the same answers to bad ones.
 */
public record UsagePeriod(Instant from, Instant to, Granularity granularity) {
    public static final Duration DEFAULT_LENGTH = Duration.ofDays(30);
    public static final Duration LONGEST = Duration.ofDays(400);
    public static final Duration LONGEST_BY_MINUTE = Duration.ofDays(2);

    public enum Granularity {
        MINUTE, HOUR, DAY;

        /** As PostgreSQL's date_trunc and the API name it. */
        public String unit() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The period from the parameters as given (null when absent): {@code to} defaults to now, {@code from} to 30 days
     * before {@code to} (2 days by minute), the granularity to day. A date as {@code to} includes that whole day.
     */
    public static UsagePeriod parse(String fromText, String toText, String granularityText, Instant now) {
        List<Problem> problems = new ArrayList<>();
        DateOrTime from = bound("from", fromText, problems);
        DateOrTime to = bound("to", toText, problems);
        Granularity granularity = granularity(granularityText, problems);
        if (!problems.isEmpty()) {
            throw new InvalidUsageQueryException(problems);
        }
        Instant end = to != null ? to.end() : now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant start = from != null ? from.start()
                : end.minus(granularity == Granularity.MINUTE ? LONGEST_BY_MINUTE : DEFAULT_LENGTH);
        if (!start.isBefore(end)) {
            problems.add(new Problem("to", "'to' (" + end + ") must be after 'from' (" + start + ")."));
        } else if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            problems.add(new Problem("from", "A query covers at most " + LONGEST.toDays() + " days; from " + start
                    + " to " + end + " is longer."));
        } else if (granularity == Granularity.MINUTE
                && Duration.between(start, end).compareTo(LONGEST_BY_MINUTE) > 0) {
            problems.add(new Problem("granularity", "By minute, a query covers at most "
                    + LONGEST_BY_MINUTE.toDays() + " days; ask by hour or day for longer periods."));
        }
        if (!problems.isEmpty()) {
            throw new InvalidUsageQueryException(problems);
        }
        return new UsagePeriod(start, end, granularity);
    }

    private static DateOrTime bound(String name, String text, List<Problem> problems) {
        if (text == null) {
            return null;
        }
        DateOrTime value = DateOrTime.parse(text);
        if (value == null) {
            problems.add(new Problem(name, "'" + name + "' takes an ISO-8601 date (2026-12-01) or time"
                    + " (2026-12-01T09:30:00Z)" + got(text)));
        }
        return value;
    }

    private static String got(String text) {
        return ClientText.isShowable(text) ? "; got '" + text + "'." : ".";
    }

    private static Granularity granularity(String text, List<Problem> problems) {
        if (text == null) {
            return Granularity.DAY;
        }
        for (Granularity granularity : Granularity.values()) {
            if (granularity.unit().equals(text)) {
                return granularity;
            }
        }
        problems.add(new Problem("granularity", "'granularity' is minute, hour or day"
                + got(text)));
        return null;
    }
}
