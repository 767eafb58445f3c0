package com.simplemodelapi.error;

import java.io.IOException;

/**
 * The request could not be read from the connection: a broken chunk, a gzip body that is not gzip, a client that
 * went away mid-body. The client's fault, and a 400; raised only where the body is read.
 */
public final class UnreadableRequestException extends IOException {
    public UnreadableRequestException(IOException cause) {
        super("The request could not be read: " + cause.getMessage(), cause);
    }

    /**
     * For a failure met while reading the body: Jetty and Jersey report some of theirs (bytes that are not gzip) as
     * an IOException wrapped in a RuntimeException. Those become this; any other is thrown as it is.
     */
    public static UnreadableRequestException of(RuntimeException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return new UnreadableRequestException(io);
            }
        }
        throw failure;
    }
}
