package com.simplemodelapi.web;

import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.UnreadableRequestException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Passes a JSON body through while checking that it is at most {@code maxBytes} long (413 past that) and well-formed
 * UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF, no sequence cut short by the end) without
 * a raw NUL, which JSON never allows outside a string or inside one. It refuses the body with a 400 at the first byte
 * that is wrong. Without NUL bytes and byte-order marks other than UTF-8's, Jackson cannot mistake the body for UTF-16
 * or UTF-32.
 *
 * <p>It also refuses, with a 408, a body that arrives slower than {@code minBytesPerSecond}: once the time spent
 * waiting for the client's bytes passes {@value #GRACE_SECONDS} s plus the time the bytes so far would take at that
 * rate, so a client dripping a body cannot hold a request thread for the idle timeout per byte. Only the waits count,
 * not the time the server takes before it reads, which is why this is not Jetty's {@code minRequestDataPerSecond}: that
 * counts from the body's first byte, so under load a small body read late is refused as if the client were slow.
 */
public final class CheckedBodyStream extends FilterInputStream {
    /** How much more of a body found too large is read and thrown away; see {@link #tooLarge}. */
    static final long DISCARD_LIMIT = 1 << 20;

    static final int GRACE_SECONDS = 2;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(GRACE_SECONDS);

    private final long maxBytes;
    private final long minBytesPerSecond;
    private long offset;
    private long waitedNanos;
    /** Continuation bytes still expected in the current sequence. */
    private int pending;
    /** The range the next continuation byte must fall in; only the second byte of a sequence is narrower. */
    private int low = 0x80;
    private int high = 0xBF;

    /** {@code minBytesPerSecond} 0 sets no minimum rate. */
    public CheckedBodyStream(InputStream in, long maxBytes, long minBytesPerSecond) {
        super(in);
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public int read() throws IOException {
        int b;
        long started = System.nanoTime();
        try {
            b = super.read();
        } catch (IOException e) {
            throw new UnreadableRequestException(e);
        } catch (RuntimeException e) {
            throw UnreadableRequestException.of(e);
        }
        checkRate(System.nanoTime() - started, b < 0 ? 0 : 1);
        if (b < 0) {
            end();
        } else if (offset + 1 > maxBytes) {
            throw tooLarge();
        } else {
            check(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int from, int length) throws IOException {
        int n;
        long started = System.nanoTime();
        try {
            n = super.read(buffer, from, length);
        } catch (IOException e) {
            throw new UnreadableRequestException(e);
        } catch (RuntimeException e) {
            throw UnreadableRequestException.of(e);
        }
        checkRate(System.nanoTime() - started, Math.max(n, 0));
        if (n < 0) {
            end();
        } else if (offset + n > maxBytes) {
            throw tooLarge();
        }
        for (int i = 0; i < n; i++) {
            check(buffer[from + i] & 0xFF);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be checked too; read them.
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check(int b) {
        if (pending > 0) {
            if (b < low || b > high) {
                throw invalid();
            }
            low = 0x80;
            high = 0xBF;
            pending--;
        } else if (b >= 0x80) {
            start(b);
        } else if (b == 0) {
            throw new WebApplicationException(ErrorRenderer.response(400, "malformed_json",
                    "The body has a NUL byte (byte " + offset + "), which JSON does not allow."));
        }
        offset++;
    }

    private void start(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            pending = 2;
            if (b == 0xE0) {
                low = 0xA0; // no overlong three-byte forms
            } else if (b == 0xED) {
                high = 0x9F; // no UTF-16 surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            pending = 3;
            if (b == 0xF0) {
                low = 0x90; // no overlong four-byte forms
            } else if (b == 0xF4) {
                high = 0x8F; // nothing past U+10FFFF
            }
        } else {
            throw invalid(); // a stray continuation byte, an overlong two-byte start (C0, C1) or F5..FF
        }
    }

    /**
     * The 413 for a body found too large while reading it (chunked, or larger once inflated). Up to
     * {@link #DISCARD_LIMIT} more bytes are read and thrown away first: a server that answers and closes while the
     * client is still sending makes its TCP stack reset the connection, and the client can lose the answer with it.
     * A body that ends within that is refused on a connection that stays open; a longer one gets
     * {@code Connection: close}.
     */
    private WebApplicationException tooLarge() {
        Response refused = RequestBodyFilter.tooLarge(maxBytes);
        return new WebApplicationException(
                discardedToTheEnd() ? refused : RequestBodyFilter.withConnectionClose(refused));
    }

    private boolean discardedToTheEnd() {
        byte[] scratch = new byte[8192];
        try {
            for (long discarded = 0; discarded <= DISCARD_LIMIT; ) {
                int n = in.read(scratch);
                if (n < 0) {
                    return true;
                }
                discarded += n;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // the client went away, or sent a broken chunk: either way the connection goes
        }
    }

    /** Refuses the body once the waits for it are longer than its bytes so far allow; {@code read} just arrived. */
    private void checkRate(long waited, int read) {
        waitedNanos += waited;
        if (minBytesPerSecond > 0
                && waitedNanos > GRACE_NANOS + (offset + read) * 1_000_000_000.0 / minBytesPerSecond) {
            throw new WebApplicationException(RequestBodyFilter.withConnectionClose(ErrorRenderer.response(408,
                    "request_timeout", "The body arrived slower than the " + minBytesPerSecond
                            + " bytes a second this server waits for. Send it at once.")));
        }
    }

    private void end() {
        if (pending > 0) {
            throw invalid();
        }
    }

    private WebApplicationException invalid() {
        return new WebApplicationException(ErrorRenderer.response(400, "malformed_json",
                "The body is not valid UTF-8 (byte " + offset + ")."));
    }
}
