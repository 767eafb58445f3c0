package com.simplemodelapi.web;

import com.simplemodelapi.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses bodies over {@code maxRequestBytes} with a 413: at once when Content-Length says so, and while reading
 * when a chunked body grows past the limit.
 */
@PreMatching
@Priority(Priorities.ENTITY_CODER)
public class RequestSizeLimitFilter implements ContainerRequestFilter {
    private final long maxBytes;

    public RequestSizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (declaredLength(request) > maxBytes) {
            throw tooLarge();
        }
        if (request.hasEntity()) {
            request.setEntityStream(new LimitedInputStream(request.getEntityStream()));
        }
    }

    /**
     * The Content-Length, read as a long: Jersey's own {@code getLength()} fails on a value past 2 GiB instead of
     * answering that it is too large. Anything that is not a plain number is left for Jetty to refuse.
     */
    private static long declaredLength(ContainerRequestContext request) {
        String value = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        String digits = value.trim();
        if (digits.isEmpty() || digits.length() > 30) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            // Past Long.MAX_VALUE is simply too large.
            length = length > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * Says {@code Connection: close}: the rest of the body is left unread, so the server must drop the connection, and
     * a client that is told so opens a new one for its next request instead of failing on this one.
     */
    private WebApplicationException tooLarge() {
        Response body = ErrorResponses.of(413, "request_too_large",
                "The body is larger than the " + maxBytes + " bytes this server accepts. Send fewer instances per call.");
        return new WebApplicationException(Response.fromResponse(body).header("Connection", "close").build());
    }

    private final class LimitedInputStream extends FilterInputStream {
        private long read;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                throw tooLarge();
            }
        }
    }
}
