package com.simplemodelapi.access.auth;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.audit.RequestAudit;
import com.simplemodelapi.catalog.LiveCatalog;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
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

    private final ApiKeyAuthenticator authenticator;
    private final JsonUnauthorizedHandler unauthorized = new JsonUnauthorizedHandler();
    private final String realm;

    public BearerKeyFilter(LiveCatalog catalog, String realm) {
        this.authenticator = new ApiKeyAuthenticator(catalog);
        this.realm = realm;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // getHeaderString joins repeated headers with commas, so two Authorization headers make no valid key.
        String key = keyFrom(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Caller caller = key == null ? null : authenticator.authenticate(key).orElse(null);
        if (caller == null) {
            throw unauthorized.buildException(SCHEME, realm);
        }
        request.setSecurityContext(new CallerContext(caller, request.getSecurityContext().isSecure()));
        RequestAudit.current().user(caller.name());
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
