package com.simplemodelapi.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * The one place an error body is made, with its shape, code, message, details and request id. The shape follows the
 * request's path: a path at or under a prefix given to the constructor (such as {@code /v2}) gets that prefix's shape,
 * any other the standard one.
 *
 * <p>Jersey's exception mappers and the request filters that refuse a body call {@link #response}, which finds the
 * shape of the request the thread serves ({@code RequestIdFilter} binds it, as it binds the request id). Jetty's error
 * handler and the audit filter, which write their answers themselves, call {@link #bytes} with the path.
 */
public final class ErrorRenderer {
    private static final ThreadLocal<ErrorShape> REQUEST_SHAPE = new ThreadLocal<>();

    private final ObjectMapper json;
    private final Map<String, ErrorShape> shapeByPathPrefix;

    public ErrorRenderer(ObjectMapper json, Map<String, ErrorShape> shapeByPathPrefix) {
        this.json = json;
        this.shapeByPathPrefix = Map.copyOf(shapeByPathPrefix);
    }

    public ErrorShape shapeFor(String path) {
        if (path != null) {
            for (Map.Entry<String, ErrorShape> prefix : shapeByPathPrefix.entrySet()) {
                String start = prefix.getKey();
                if (path.equals(start) || path.startsWith(start + "/")) {
                    return prefix.getValue();
                }
            }
        }
        return ErrorShape.STANDARD;
    }

    /** Binds the shape for the errors of the request this thread now serves, until {@link #endRequest}. */
    public void beginRequest(String path) {
        REQUEST_SHAPE.set(shapeFor(path));
    }

    public static void endRequest() {
        REQUEST_SHAPE.remove();
    }

    /** A JAX-RS response in the shape of the request this thread serves, with its request id. */
    public static Response response(int status, String code, String message, List<Map<String, Object>> details) {
        ErrorShape shape = REQUEST_SHAPE.get();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(shape == null ? ErrorShape.STANDARD : shape, code, message, details,
                        RequestIds.current()))
                .build();
    }

    public static Response response(ApiException e) {
        return response(e.status(), e.code(), e.getMessage(), e.details());
    }

    public static Response response(int status, String code, String message) {
        return response(status, code, message, List.of());
    }

    /** The body as JSON bytes, for code that writes its answer itself. */
    public byte[] bytes(String path, String code, String message, String requestId) {
        try {
            return json.writeValueAsBytes(body(shapeFor(path), code, message, List.of(), requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error body always serialises", e);
        }
    }

    static Object body(ErrorShape shape, String code, String message, List<Map<String, Object>> details,
                       String requestId) {
        return switch (shape) {
            case STANDARD -> standardBody(code, message, details, requestId);
            case OPEN_INFERENCE -> new OpenInferenceErrorBody(message);
        };
    }

    static ErrorBody standardBody(String code, String message, List<Map<String, Object>> details, String requestId) {
        return new ErrorBody(new ErrorBody.Error(code, message, List.copyOf(details)), requestId);
    }
}
