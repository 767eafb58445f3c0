package com.simplemodelapi.web;

import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.UnreadableRequestException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Refuses request bodies this API will not read, before anything parses them, in this order:
 * <ol>
 * <li>a body over {@code maxRequestBytes} (413): at once when Content-Length says so, and while reading when a
 * chunked body grows past the limit;</li>
 * <li>a Content-Type that is missing, a wildcard, does not parse or names a charset other than UTF-8, and a content
 * coding other than gzip, which Jetty inflates (415);</li>
 * <li>as the body is read, bytes that are not well-formed UTF-8 (400), and a body that arrives slower than
 * {@code minRequestBytesPerSecond} (408).</li>
 * </ol>
 * Left alone, Jackson would guess the encoding whatever the charset says, and would read overlong or out-of-range
 * UTF-8 (an overlong "/" among them) as characters. JSON exchanged between systems must be UTF-8 (RFC 8259), so UTF-8
 * is all this API takes.
 */
@PreMatching
@Priority(Priorities.ENTITY_CODER)
public class RequestBodyFilter implements ContainerRequestFilter {
    private final long maxBytes;
    private final long minBytesPerSecond;

    public RequestBodyFilter(long maxBytes, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        long declared = declaredLength(request);
        if (declared > maxBytes) {
            // Refused unread: this runs before the key is checked, and reading would also answer an
            // "Expect: 100-continue" that the client waits on before it sends the body at all.
            throw new WebApplicationException(withConnectionClose(tooLarge(maxBytes)));
        }
        // hasEntity() reads ahead, which also matters when the body is then left unread (a 401, say): Jetty has it in
        // hand and can discard it, rather than closing a connection the client has been told it may reuse.
        if (!hasEntity(request)) {
            return;
        }
        checkJson(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
        String coding = request.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !isAccepted(coding.trim().toLowerCase(Locale.ROOT))) {
            throw unsupported("The body may be sent as it is or compressed with Content-Encoding: gzip; no other coding.");
        }
        request.setEntityStream(new CheckedBodyStream(request.getEntityStream(), maxBytes, minBytesPerSecond));
    }

    /** Whether a body follows; reading ahead to find out can meet a broken one, which is the client's fault. */
    private static boolean hasEntity(ContainerRequestContext request) throws IOException {
        try {
            return request.hasEntity();
        } catch (RuntimeException e) {
            throw UnreadableRequestException.of(e);
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

    /** A body must say it is JSON: no type, or a wildcard that only matches a JSON endpoint, is not enough. */
    private static void checkJson(String contentType) {
        if (contentType != null && contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            return; // what nearly every client sends, taken without parsing
        }
        MediaType type = mediaTypeOf(contentType);
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
            throw unsupported("Send the body as JSON with the header Content-Type: application/json.");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            throw unsupported("The body must be UTF-8: send Content-Type: application/json, with no charset or"
                    + " charset=utf-8.");
        }
    }

    /** The media type, null when there is none; a Content-Type that does not parse is refused. */
    private static MediaType mediaTypeOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw unsupported("The Content-Type header does not parse; send Content-Type: application/json.");
        }
    }

    private static boolean isAccepted(String coding) {
        return coding.isEmpty() || coding.equals("identity") || coding.equals("gzip") || coding.equals("x-gzip");
    }

    private static WebApplicationException unsupported(String message) {
        return new WebApplicationException(ErrorRenderer.response(415, "unsupported_media_type", message));
    }

    /** The 413 for a body over {@code maxBytes}. */
    static Response tooLarge(long maxBytes) {
        return ErrorRenderer.response(413, "request_too_large",
                "The body is larger than the " + maxBytes + " bytes this server accepts. Send fewer instances per call.");
    }

    /**
     * For an answer given while the rest of the body is still on the connection, unread: the server must drop the
     * connection, and a client that is told so opens a new one for its next request instead of failing on this one.
     */
    static Response withConnectionClose(Response response) {
        return Response.fromResponse(response).header("Connection", "close").build();
    }
}
