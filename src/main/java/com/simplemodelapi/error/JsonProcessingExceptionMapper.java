package com.simplemodelapi.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.stream.Collectors;

/**
 * A body that is not JSON, or JSON of the wrong shape. The message names where the problem is but never quotes the
 * body, which may hold the caller's data.
 */
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        // Jackson wraps a syntax error found inside a field in a mapping exception; it is still malformed JSON.
        if (causedByParseError(e) || !(e instanceof JsonMappingException mapping)) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return ErrorResponses.of(400, "malformed_json", "The body is not valid JSON" + where + ".");
        }
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (mapping instanceof UnrecognizedPropertyException) {
            return ErrorResponses.of(400, "invalid_body",
                    "The body has a field '" + path + "' that this endpoint does not take.");
        }
        return ErrorResponses.of(400, "invalid_body", path.isEmpty()
                ? "The body has the wrong shape for this endpoint."
                : "The field '" + path + "' has the wrong shape for this endpoint.");
    }

    private static boolean causedByParseError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException) {
                return true;
            }
        }
        return false;
    }
}
