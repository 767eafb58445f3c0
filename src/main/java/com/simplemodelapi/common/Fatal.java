package com.simplemodelapi.common;

/**
 * Which failures a background loop (a catalog refresh, the audit writer) may survive. Almost all: an out-of-memory
 * while building one large model, a plug-in's missing class or a native library that will not link leave the JVM able
 * to go on, and a loop that stops for good on them stops silently. Only errors that say the JVM itself is broken, and
 * the one that stops a thread on purpose, are let through.
 */
public final class Fatal {
    private Fatal() {
    }

    private static boolean isFatal(Throwable failure) {
        return failure instanceof InternalError || failure instanceof UnknownError || failure instanceof ThreadDeath;
    }

    /** Throws the failure on when it is fatal; returns when it may be survived. */
    public static void rethrowIfFatal(Throwable failure) {
        if (isFatal(failure)) {
            throw (Error) failure;
        }
    }
}
