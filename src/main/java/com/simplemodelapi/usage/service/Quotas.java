package com.simplemodelapi.usage.service;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.error.ErrorRenderer;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Enforces the limits operators set on users, in memory: a request that reached a model version, once its instances
 * are known, is let through or refused with a 429 here. A caller without limits costs one null check.
 *
 * <p>What a limited caller's request was told is kept for the thread until {@link #takeAdmission}, so that its answer,
 * whatever it is, carries the {@code RateLimit-Policy} and {@code RateLimit} headers.
 */
public final class Quotas {
    private static final ThreadLocal<Admission> CURRENT = new ThreadLocal<>();

    private final int replicas;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Supplier<Collection<Caller>> callers;
    private final ConcurrentHashMap<String, UserQuota> byUser = new ConcurrentHashMap<>();

    /** {@code callers}: everyone who can call now, with their limits (the current catalog's). */
    public Quotas(int replicas, Clock clock, LongSupplier nanoTime, Supplier<Collection<Caller>> callers) {
        this.replicas = replicas;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.callers = callers;
    }

    /**
     * Lets the caller's request of {@code instances} through, or throws the 429 that refuses it. Call it after the
     * model version is found and the request's instances are counted, and before they are evaluated.
     */
    public void admit(Caller caller, int instances) {
        Limits limits = caller.limits();
        if (limits == null) {
            return;
        }
        Admission admission = quotaOf(caller.name(), limits).admit(instances, nanoTime.getAsLong(), clock.instant());
        CURRENT.set(admission);
        if (admission.refused()) {
            Response body = ErrorRenderer.response(429, admission.refusal(), admission.message());
            throw new WebApplicationException(Response.fromResponse(body)
                    .header("Retry-After", admission.retryAfterSeconds()).build());
        }
    }

    /** What {@link #admit} told the request this thread serves, once; null for a caller without limits. */
    public static Admission takeAdmission() {
        Admission admission = CURRENT.get();
        if (admission != null) {
            CURRENT.remove();
        }
        return admission;
    }

    /** Forgets an admission a request left behind, at the start of the next one (a safeguard: none should be). */
    public static void forgetAdmission() {
        CURRENT.remove();
    }

    private UserQuota quotaOf(String user, Limits limits) {
        UserQuota quota = byUser.get(user);
        if (quota != null && quota.limits().equals(limits)) {
            return quota;
        }
        return byUser.compute(user, (name, old) -> old == null ? new UserQuota(limits, replicas, nanoTime.getAsLong())
                : old.limits().equals(limits) ? old : old.withLimits(limits, replicas, nanoTime.getAsLong()));
    }

    /**
     * The users whose instance totals the flusher reads, with the instances each has been let through so far: every
     * caller with a daily or monthly quota, whether or not they called yet. Users no longer limited are forgotten.
     */
    Map<String, Long> trackedBeforeFlush() {
        Map<String, Long> admitted = new HashMap<>();
        Map<String, Limits> limited = new HashMap<>();
        for (Caller caller : callers.get()) {
            if (caller.limits() != null) {
                limited.put(caller.name(), caller.limits());
            }
        }
        byUser.keySet().removeIf(user -> !limited.containsKey(user));
        limited.forEach((user, limits) -> {
            if (limits.hasInstanceQuota()) {
                admitted.put(user, quotaOf(user, limits).admitted());
            }
        });
        return admitted;
    }

    /** The totals read after a flush that began when {@code admittedBefore} was noted. */
    void totalsRead(LocalDate day, Map<String, long[]> dayAndMonthByUser, Map<String, Long> admittedBefore) {
        admittedBefore.forEach((user, before) -> {
            UserQuota quota = byUser.get(user);
            if (quota != null) {
                long[] totals = dayAndMonthByUser.getOrDefault(user, new long[2]);
                quota.totals(day, totals[0], totals[1], before);
            }
        });
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
