package com.simplemodelapi.usage.resource;

import com.simplemodelapi.usage.service.Admission;
import com.simplemodelapi.usage.service.Admits;
import com.simplemodelapi.usage.service.Quotas;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Puts the {@code RateLimit-Policy} and {@code RateLimit} fields (the IETF httpapi draft's) on every answer to a
 * limited caller's prediction, a 429 included: what {@link Quotas#admit} told the request. Bound to the methods marked
 * {@link Admits}, so other requests do nothing here.
 */
@Admits
public final class RateLimitHeaders implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        Quotas.forgetAdmission();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Admission admission = Quotas.takeAdmission();
        if (admission != null && !admission.policies().isEmpty()) {
            response.getHeaders().putSingle("RateLimit-Policy", admission.policyHeader());
            response.getHeaders().putSingle("RateLimit", admission.rateLimitHeader());
        }
    }
}
