package com.simplemodelapi.error;

import org.slf4j.MDC;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id travels in the logging MDC, so log lines, error bodies and the audit record of one request all
 * carry the same id without passing it through every call.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    public static final String SERVER_MDC_KEY = "server_request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The client's id when it is short and plain, else a new random (version 4) UUID. */
    public static String choose(String fromClient) {
        return choose(fromClient, newId());
    }

    /** The client's id when it is short and plain, else the server's own. */
    public static String choose(String fromClient, String serverId) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : serverId;
    }

    /**
     * A new random (version 4) UUID. Unique, not unguessable: UUID.randomUUID draws from SecureRandom, which showed
     * in the profile of a single prediction.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** The id the client sees: its own, or the server's. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /**
     * The server's own id for the request, unique even when clients send the same id twice; the same as
     * {@link #current()} when the client sent none.
     */
    public static String currentServerId() {
        return MDC.get(SERVER_MDC_KEY);
    }
}
