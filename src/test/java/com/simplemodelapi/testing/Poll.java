package com.simplemodelapi.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Asks again and again until an answer fits, for things that happen in the background (a refresh, a start). */
public final class Poll {
    /**
     * How long a test waits for anything another thread or process does. Generous on purpose: CI shares two cores
     * with other builds, and a wait that succeeds returns as soon as it can, so only a real failure pays for it.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Poll() {
    }

    /** The first value that fits; fails with the last value seen when none does within {@code limit}. */
    public static <T> T until(Duration limit, Supplier<T> ask, Predicate<T> fits, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T value = ask.get();
            if (fits.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + limit + ": " + what + "; last seen: " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
