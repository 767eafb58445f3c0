package com.simplemodelapi.access.auth;

import com.simplemodelapi.audit.RequestAudit;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

import java.security.Principal;

/** Runs after authentication and tells the audit record who the caller is. */
@Priority(Priorities.AUTHORIZATION)
public class AuditUserFilter implements ContainerRequestFilter {
    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        Principal caller = request.getSecurityContext().getUserPrincipal();
        if (caller != null) {
            RequestAudit.of(servletRequest).user(caller.getName());
        }
    }
}
