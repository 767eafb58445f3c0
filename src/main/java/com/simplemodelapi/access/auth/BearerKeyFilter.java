package com.simplemodelapi.access.auth;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.CallerKey;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.audit.RequestAudit;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.error.ErrorRenderer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/**
 * Takes the API key from {@code Authorization: Bearer <key>} and nowhere else. Dropwizard's OAuth filter also takes
 * it from an {@code access_token} query parameter, which would put keys in URLs, and so in proxy logs and browser
 * histories; its base class also records the caller in Jetty on every request, which nothing here reads.
 * <p>
 * {@code AuthDynamicFeature} puts it on the methods with an {@code @Auth} parameter, which Dropwizard fills from the
 * security context set here. Once the key is known good, it tells the audit record who the caller is. The priority
 * must be on this class (Jersey does not inherit it) so that authentication runs first among the filters that match.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerKeyFilter implements ContainerRequestFilter {
    private static final String SCHEME = "Bearer";

    private final LiveCatalog catalog;
    private final String challenge;

    public BearerKeyFilter(LiveCatalog catalog, String realm) {
        this.catalog = catalog;
        this.challenge = SCHEME + " realm=\"" + realm + "\"";
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // getHeaderString joins repeated headers with commas, so two Authorization headers make no valid key.
        CallerKey found = lookUp(keyFrom(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        if (found == null) {
            throw unauthorized();
        }
        request.setSecurityContext(new CallerContext(found.caller(), request.getSecurityContext().isSecure()));
        RequestAudit.current().caller(found.caller().name(), found.keyId());
    }

    /** Looked up in the in-memory catalog: no database round trip per request. Null for no such key. */
    private CallerKey lookUp(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            return null;
        }
        return catalog.current().keyWithHash(ApiKeys.hash(key)).orElse(null);
    }

    /** A 401 in the error shape. It does not say which of missing, unknown or revoked the key was. */
    private WebApplicationException unauthorized() {
        Response body = ErrorRenderer.response(401, "unauthorized", "Send a valid API key in the header"
                + " 'Authorization: Bearer <key>'. The key was missing, unknown or revoked.");
        return new WebApplicationException(Response.fromResponse(body)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build());
    }

    /** The key in "Bearer <key>": the scheme is case-insensitive (RFC 7235), the key is taken exactly as sent. */
    static String keyFrom(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        return space > 0 && header.substring(0, space).equalsIgnoreCase(SCHEME) ? header.substring(space + 1) : null;
    }

    /** Who called; this API has no roles, a grant is per model. */
    private record CallerContext(Caller caller, boolean isSecure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return SCHEME;
        }
    }
}
