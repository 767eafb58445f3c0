package com.simplemodelapi.inference.resource;

import com.simplemodelapi.error.ErrorRenderer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * What the protocol's clients send that /v1's rules would refuse, met before those rules run. Triton's HTTP client
 * sends its JSON with no Content-Type at all, so a /v2 body without one is taken as JSON (a body that names another
 * type still gets /v1's 415). Its default, the binary tensor extension, is refused with a message saying how to turn it
 * off, rather than read as broken JSON.
 */
@PreMatching
@Priority(Priorities.ENTITY_CODER - 1)
public class InferenceRequestFilter implements ContainerRequestFilter {
    static final String BINARY_EXTENSION_HEADER = "Inference-Header-Content-Length";

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("v2") || path.startsWith("v2/"))) {
            return;
        }
        if (request.getHeaderString(BINARY_EXTENSION_HEADER) != null) {
            throw new WebApplicationException(ErrorRenderer.response(400, "binary_extension_unsupported",
                    "This server takes tensor data as JSON only, not the binary tensor extension: send the data in"
                            + " \"data\" (tritonclient: set_data_from_numpy(..., binary_data=False))."));
        }
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null && request.hasEntity()) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
