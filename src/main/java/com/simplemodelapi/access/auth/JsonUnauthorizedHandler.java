package com.simplemodelapi.access.auth;

import com.simplemodelapi.error.ErrorResponses;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** A 401 in the error shape. It does not say which of missing, unknown or revoked the key was. */
public class JsonUnauthorizedHandler implements UnauthorizedHandler {

    @Override
    public Response buildResponse(String prefix, String realm) {
        Response body = ErrorResponses.of(401, "unauthorized",
                "Send a valid API key in the header 'Authorization: Bearer <key>'. The key was missing, unknown or revoked.");
        return Response.fromResponse(body)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .build();
    }
}
