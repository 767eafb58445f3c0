package com.simplemodelapi.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** The one shape of every error response: {@code {"error": {...}, "request_id": "..."}}. */
public record ErrorBody(Error error, @JsonProperty("request_id") String requestId) {

    public record Error(String code, String message, @JsonInclude(JsonInclude.Include.ALWAYS) List<Map<String, Object>> details) {
    }

    public static ErrorBody of(String code, String message, List<Map<String, Object>> details) {
        return new ErrorBody(new Error(code, message, List.copyOf(details)), RequestIds.current());
    }
}
