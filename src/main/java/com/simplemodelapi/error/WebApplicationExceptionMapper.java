package com.simplemodelapi.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Puts Jersey's own failures (unknown route, wrong method, wrong media type) into the error shape. */
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        Response shaped = ErrorRenderer.response(status, codeFor(status), messageFor(status));
        Response.ResponseBuilder builder = Response.fromResponse(shaped);
        // Keep headers Jersey set for the client, such as Allow on a 405.
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** The error code for a status that carries no more specific one; Jetty's own rejections use it too. */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "request_failed";
        };
    }

    static String messageFor(int status) {
        return switch (status) {
            case 404 -> "There is nothing at this path. See the README for the routes under /v1.";
            case 405 -> "This path does not take that HTTP method; the Allow header lists the ones it takes.";
            case 406 -> "This API answers only in JSON; accept application/json.";
            case 414 -> "The request line is too long.";
            case 415 -> "Send the body as JSON with the header Content-Type: application/json.";
            case 431 -> "The request headers are too large.";
            case 505 -> "This server speaks HTTP/1.1 (and HTTP/1.0); send that.";
            default -> Response.Status.fromStatusCode(status) == null
                    ? "The request failed with status " + status + "."
                    : Response.Status.fromStatusCode(status).getReasonPhrase() + ".";
        };
    }
}
