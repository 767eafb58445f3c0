package com.simplemodelapi.usage.service;

import com.simplemodelapi.access.model.Limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One limited user's state on this server: their token bucket, and what they predicted today and this month (UTC).
 *
 * <p>The bucket holds this server's share of the user's rate: with R replicas, {@code rate / R} refilled per second
 * into a bucket of {@code burst / R} (at least one request).
 *
 * <p>The instances used are the database's totals as this server last read them (right after each of its flushes)
 * plus the instances this server let through since that read began. Those are counted when a request is let through,
 * before it is evaluated: a request that then fails counts until the next read, which forgets it, as the usage table
 * never held it. So the check needs no database and never lets this server's own requests overshoot; only what other
 * servers let through and had not yet flushed when this one read is unseen.
 */
final class UserQuota {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Limits limits;
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    private LocalDate totalsDay;
    private long dayTotal;
    private YearMonth totalsMonth;
    private long monthTotal;
    /** Instances let through since the last read of the totals began. */
    private long admitted;

    UserQuota(Limits limits, int replicas, long nowNanos) {
        this.limits = limits;
        if (limits.ratePerSecond() != null) {
            this.ratePerNano = limits.ratePerSecond() / replicas / NANOS_PER_SECOND;
            this.capacity = Math.max(1.0, Math.floor((double) limits.burstOrDefault() / replicas));
        } else {
            this.ratePerNano = 0;
            this.capacity = 0;
        }
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    /** A fresh bucket for new limits, with what this one knows of the instances used. */
    UserQuota withLimits(Limits newLimits, int replicas, long nowNanos) {
        UserQuota next = new UserQuota(newLimits, replicas, nowNanos);
        synchronized (this) {
            next.totalsDay = totalsDay;
            next.dayTotal = dayTotal;
            next.totalsMonth = totalsMonth;
            next.monthTotal = monthTotal;
            next.admitted = admitted;
        }
        return next;
    }

    Limits limits() {
        return limits;
    }

    /** Lets a request of {@code instances} through, taking a token and counting its instances, or refuses it. */
    synchronized Admission admit(int instances, long nowNanos, Instant now) {
        refill(nowNanos);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        YearMonth month = YearMonth.from(today);
        long usedToday = (today.equals(totalsDay) ? dayTotal : 0) + admitted;
        long usedThisMonth = (month.equals(totalsMonth) ? monthTotal : 0) + admitted;
        long toMidnight = secondsUntil(now, today.plusDays(1));
        long toMonthEnd = secondsUntil(now, month.plusMonths(1).atDay(1));

        String refusal = null;
        String message = null;
        long retryAfter = 0;
        if (limits.dailyInstances() != null && usedToday + instances > limits.dailyInstances()) {
            refusal = "quota_exceeded";
            retryAfter = toMidnight;
            message = "This request's " + instances + " instances would take you past your daily quota of "
                    + limits.dailyInstances() + " instances (" + Math.max(0, limits.dailyInstances() - usedToday)
                    + " left today). The quota resets at midnight UTC, in " + toMidnight + " s.";
        } else if (limits.monthlyInstances() != null && usedThisMonth + instances > limits.monthlyInstances()) {
            refusal = "quota_exceeded";
            retryAfter = toMonthEnd;
            message = "This request's " + instances + " instances would take you past your monthly quota of "
                    + limits.monthlyInstances() + " instances (" + Math.max(0, limits.monthlyInstances() - usedThisMonth)
                    + " left this month). The quota resets on the first of the month, UTC, in " + toMonthEnd + " s.";
        } else if (capacity > 0 && tokens < 1) {
            refusal = "rate_limited";
            retryAfter = Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / NANOS_PER_SECOND));
            message = "Too many requests: your rate limit is " + formatRate() + ". Retry after " + retryAfter + " s.";
        }
        if (refusal == null) {
            if (capacity > 0) {
                tokens -= 1;
            }
            admitted += instances;
            usedToday += instances;
            usedThisMonth += instances;
        }
        return new Admission(policies(usedToday, usedThisMonth, toMidnight, today, toMonthEnd), refusal, message,
                retryAfter);
    }

    private void refill(long nowNanos) {
        if (capacity > 0) {
            tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * ratePerNano);
        }
        refilledAt = nowNanos;
    }

    private List<Admission.Policy> policies(long usedToday, long usedThisMonth, long toMidnight, LocalDate today,
                                            long toMonthEnd) {
        List<Admission.Policy> policies = new ArrayList<>(3);
        if (capacity > 0) {
            double perSecond = ratePerNano * NANOS_PER_SECOND;
            policies.add(new Admission.Policy("rate", (long) capacity, "requests",
                    Math.max(1, (long) Math.ceil(capacity / perSecond)), (long) Math.floor(tokens),
                    (long) Math.ceil((capacity - tokens) / perSecond)));
        }
        if (limits.dailyInstances() != null) {
            policies.add(new Admission.Policy("daily", limits.dailyInstances(), "instances", 86_400,
                    Math.max(0, limits.dailyInstances() - usedToday), toMidnight));
        }
        if (limits.monthlyInstances() != null) {
            long monthSeconds = 86_400L * YearMonth.from(today).lengthOfMonth();
            policies.add(new Admission.Policy("monthly", limits.monthlyInstances(), "instances", monthSeconds,
                    Math.max(0, limits.monthlyInstances() - usedThisMonth), toMonthEnd));
        }
        return policies;
    }

    private String formatRate() {
        double perSecond = ratePerNano * NANOS_PER_SECOND;
        return (perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond))
                + " requests per second on this server, in bursts of at most " + (long) capacity;
    }

    private static long secondsUntil(Instant now, LocalDate day) {
        Instant then = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return Math.max(1, (then.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
    }

    /** The instances let through since the last read began; the flusher notes it before it drains the counts. */
    synchronized long admitted() {
        return admitted;
    }

    /**
     * The totals a read found, which hold everything flushed before it: the {@code admittedBefore} instances this
     * server had let through when the flush began are in them now (or were never predicted), so they are forgotten.
     */
    synchronized void totals(LocalDate day, long dayInstances, long monthInstances, long admittedBefore) {
        totalsDay = day;
        dayTotal = dayInstances;
        totalsMonth = YearMonth.from(day);
        monthTotal = monthInstances;
        admitted = Math.max(0, admitted - admittedBefore);
    }
}
