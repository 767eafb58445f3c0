package com.simplemodelapi.access.auth;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.audit.RequestAudit;
import com.simplemodelapi.catalog.LiveCatalog;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Takes the API key from {@code Authorization: Bearer <key>} and nowhere else. Dropwizard's OAuth filter also takes
 * it from an {@code access_token} query parameter, which would put keys in URLs, and so in proxy logs and browser
 * histories.
 * <p>
 * Once the key is known good, it tells the audit record who the caller is. The priority must be on this class (Jersey
 * does not inherit it) so that authentication runs first among the filters that match.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerKeyFilter extends AuthFilter<String, Caller> {
    private static final String SCHEME = "Bearer";

    private BearerKeyFilter() {
    }

    public static BearerKeyFilter build(LiveCatalog catalog, String realm) {
        return new AuthFilterBuilder<String, Caller, BearerKeyFilter>() {
            @Override
            protected BearerKeyFilter newInstance() {
                return new BearerKeyFilter();
            }
        }.setAuthenticator(new ApiKeyAuthenticator(catalog))
                .setPrefix(SCHEME)
                .setRealm(realm)
                .setUnauthorizedHandler(new JsonUnauthorizedHandler())
                .buildAuthFilter();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // getHeaderString joins repeated headers with commas, so two Authorization headers make no valid key.
        String key = keyFrom(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!authenticate(request, key, SecurityContext.BASIC_AUTH)) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
        RequestAudit.of(request).user(request.getSecurityContext().getUserPrincipal().getName());
    }

    /** The key in "Bearer <key>": the scheme is case-insensitive (RFC 7235), the key is taken exactly as sent. */
    static String keyFrom(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        return space > 0 && header.substring(0, space).equalsIgnoreCase(SCHEME) ? header.substring(space + 1) : null;
    }
}
