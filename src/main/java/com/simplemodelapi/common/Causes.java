package com.simplemodelapi.common;

/** Looks through an exception and its chain of causes. */
public final class Causes {
    private Causes() {
    }

    /** The first throwable of the given type in the chain, starting with {@code failure} itself; null if none is. */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
