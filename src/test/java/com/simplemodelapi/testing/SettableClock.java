package com.simplemodelapi.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock a test moves by hand, so that what depends on the date never depends on the real one. */
public final class SettableClock extends Clock {
    private volatile Instant now;
    private final AtomicReference<Error> nextFailure = new AtomicReference<>();

    public SettableClock(Instant now) {
        this.now = now;
    }

    public void set(Instant now) {
        this.now = now;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** The next reading throws this instead, once: a way to make whoever reads the clock fail where it does. */
    public void failNextReadingWith(Error failure) {
        nextFailure.set(failure);
    }

    @Override
    public Instant instant() {
        Error failure = nextFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a settable clock is always UTC");
    }
}
