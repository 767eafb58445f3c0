package com.simplemodelapi.error;

import com.simplemodelapi.common.DomainException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A request the domain refused, answered with the status its kind calls for, in the error shape. */
public class DomainExceptionMapper implements ExceptionMapper<DomainException> {

    @Override
    public Response toResponse(DomainException e) {
        return switch (e.kind()) {
            case INVALID -> ErrorRenderer.response(400, "invalid_request", e.getMessage());
            case NOT_FOUND -> ErrorRenderer.response(404, "not_found", e.getMessage());
            case CONFLICT -> ErrorRenderer.response(409, "conflict", e.getMessage());
            case UNAVAILABLE -> ErrorRenderer.response(503, "unavailable", e.getMessage());
        };
    }
}
