package com.simplemodelapi.common;

/**
 * Which failures a background loop (a catalog refresh, the audit writer) may survive. Almost all: an out-of-memory
 * while building one large model, a plug-in's missing class or a native library that will not link leave the JVM able
 * to go on, and a loop that stops for good on them stops silently. Only errors that say the JVM itself is broken are
 * let through.
 */
public final class Fatal {
    private Fatal() {
    }

    public static boolean isFatal(Throwable failure) {
        return failure instanceof InternalError || failure instanceof UnknownError;
    }
}
