package com.simplemodelapi.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;

/**
 * Lets through only the admin tasks this service means to offer. Dropwizard adds {@code log-level} and {@code gc} to
 * every admin port, with no way to remove them, and the admin port has no authentication: whoever reaches it could
 * switch Jetty's logging to DEBUG, which logs {@code Authorization} headers, that is, API keys.
 */
final class AdminTaskAllowList implements Filter {
    private final Set<String> allowed;

    AdminTaskAllowList(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = ((HttpServletRequest) request).getPathInfo();
        String task = path == null ? "" : path.substring(1);
        if (allowed.contains(task)) {
            chain.doFilter(request, response);
        } else {
            ((HttpServletResponse) response).sendError(404, "No such task");
        }
    }
}
