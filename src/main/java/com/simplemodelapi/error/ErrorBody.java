package com.simplemodelapi.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** This service's error shape, {@code {"error": {...}, "request_id": "..."}}; {@link ErrorRenderer} makes it. */
public record ErrorBody(Error error, @JsonProperty("request_id") String requestId) {

    public record Error(String code, String message, @JsonInclude(JsonInclude.Include.ALWAYS) List<Map<String, Object>> details) {
    }
}
