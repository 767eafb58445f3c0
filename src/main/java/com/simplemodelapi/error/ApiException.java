package com.simplemodelapi.error;

import java.util.List;
import java.util.Map;

/** A failure the client can act on, answered with its status in the error shape. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient List<Map<String, Object>> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(int status, String code, String message, List<Map<String, Object>> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Map<String, Object>> details() {
        return details;
    }

    /** The body in this service's shape, for the request this thread serves. */
    public ErrorBody body() {
        return ErrorRenderer.standardBody(code, getMessage(), details, RequestIds.current());
    }
}
