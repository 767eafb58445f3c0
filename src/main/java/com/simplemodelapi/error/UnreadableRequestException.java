package com.simplemodelapi.error;

import com.simplemodelapi.common.Causes;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The request could not be read from the connection: a broken chunk, a gzip body that is not gzip, a client that
 * went away mid-body, one that stopped sending. The client's fault, and a 4xx; raised only where the body is read.
 */
public final class UnreadableRequestException extends IOException {
    public UnreadableRequestException(IOException cause) {
        super("The request could not be read: " + cause.getMessage(), cause);
    }

    /** 408 when the client stopped sending until the connection's idle timeout ran out, else 400. */
    public int status() {
        return Causes.find(getCause(), TimeoutException.class) != null ? 408 : 400;
    }

    /**
     * For a failure met while reading the body: Jetty and Jersey report some of theirs (bytes that are not gzip) as
     * an IOException wrapped in a RuntimeException. Those become this; any other is thrown as it is.
     */
    public static UnreadableRequestException of(RuntimeException failure) {
        IOException unreadable = Causes.find(failure.getCause(), IOException.class);
        if (unreadable == null) {
            throw failure;
        }
        return new UnreadableRequestException(unreadable);
    }
}
