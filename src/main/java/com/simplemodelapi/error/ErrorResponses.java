package com.simplemodelapi.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Builds JAX-RS responses in the error shape. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response of(ApiException e) {
        return of(e.status(), e.body());
    }

    public static Response of(int status, String code, String message) {
        return of(status, ErrorBody.of(code, message, List.of()));
    }

    private static Response of(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
