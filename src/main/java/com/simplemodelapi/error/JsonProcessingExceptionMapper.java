package com.simplemodelapi.error;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.simplemodelapi.common.Causes;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.List;

/**
 * A body that is not JSON, or JSON of the wrong shape. The message names where the problem is but never quotes the
 * body, which may hold the caller's data.
 */
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (isWriteFailure(e)) {
            return UnexpectedExceptionMapper.internalError(e);
        }
        // A refusal raised while Jackson was reading (a body over the size limit, bytes that are not UTF-8) reaches
        // here wrapped in Jackson's exception; it keeps its own status.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof WebApplicationException refusal) {
                return new WebApplicationExceptionMapper().toResponse(refusal);
            }
            if (cause instanceof ApiException refusal) {
                return ErrorRenderer.response(refusal);
            }
        }
        if (Causes.find(e, StreamConstraintsException.class) != null) {
            StreamReadConstraints limits = StreamReadConstraints.defaults();
            return ErrorRenderer.response(400, "invalid_body", "The body goes beyond this server's JSON limits"
                    + where(e) + ": at most " + limits.getMaxNestingDepth() + " levels of nesting, "
                    + limits.getMaxNumberLength() + " characters in a number and " + limits.getMaxNameLength()
                    + " in a field name.");
        }
        // Jackson wraps a syntax error found inside a field in a mapping exception; it is still malformed JSON.
        if (Causes.find(e, JsonParseException.class) != null || !(e instanceof JsonMappingException mapping)) {
            return ErrorRenderer.response(400, "malformed_json", "The body is not valid JSON" + where(e) + ".");
        }
        List<Object> path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? (Object) ref.getFieldName() : ref.getIndex())
                .toList();
        String at = at(path);
        if (mapping instanceof UnrecognizedPropertyException) {
            return ErrorRenderer.response(400, "invalid_body",
                    "The body has an unknown field" + at + ", which this endpoint does not take.");
        }
        return ErrorRenderer.response(400, "invalid_body", path.isEmpty()
                ? "The body has the wrong shape for this endpoint."
                : "A field" + at + " has the wrong shape for this endpoint.");
    }

    /** Where in the body, as a JSON pointer, when it is short and printable; otherwise nothing. */
    private static String at(List<Object> path) {
        String pointer = ClientText.pointer(path);
        return pointer == null ? "" : " (at " + pointer + ")";
    }

    /**
     * A failure to write an answer is the server's: its output (a plug-in's, say) cannot be put into JSON. Jackson
     * raises it as the same kind of exception as a body it cannot read, so it is told apart by who raised it.
     */
    private static boolean isWriteFailure(JsonProcessingException e) {
        return e instanceof JsonGenerationException
                || e instanceof JsonMappingException mapping && mapping.getProcessor() instanceof JsonGenerator;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
