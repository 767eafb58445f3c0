package com.simplemodelapi.web;

import com.simplemodelapi.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Refuses request bodies this API cannot read as UTF-8 JSON, before anything parses them: a Content-Type that is
 * missing, a wildcard, does not parse or names a charset other than UTF-8 (415), a content coding other than gzip, which Jetty inflates (415),
 * and, as the body is read, bytes that are not well-formed UTF-8 (400). Left alone, Jackson would guess the encoding
 * whatever the charset says, and would read overlong or out-of-range UTF-8 (an overlong "/" among them) as characters.
 * JSON exchanged between systems must be UTF-8 (RFC 8259), so UTF-8 is all this API takes.
 */
@PreMatching
@Priority(Priorities.ENTITY_CODER + 1) // after RequestSizeLimitFilter: a body that is too large is a 413 first
public class JsonBodyFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return;
        }
        MediaType type = mediaTypeOf(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
        // A body must say it is JSON: no type, or a wildcard that only matches a JSON endpoint, is not enough.
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
            throw unsupported("Send the body as JSON with the header Content-Type: application/json.");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            throw unsupported("The body must be UTF-8: send Content-Type: application/json, with no charset or"
                    + " charset=utf-8.");
        }
        String coding = request.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !isAccepted(coding.trim().toLowerCase(Locale.ROOT))) {
            throw unsupported("The body may be sent as it is or compressed with Content-Encoding: gzip; no other coding.");
        }
        request.setEntityStream(new Utf8CheckingInputStream(request.getEntityStream()));
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
        return new WebApplicationException(ErrorResponses.of(415, "unsupported_media_type", message));
    }
}
