package com.simplemodelapi.web;

import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.RequestIds;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import java.io.IOException;

/**
 * Gives every request an id, answered in {@code X-Request-Id} and kept in the MDC while the request runs: the client's
 * own when it sent a plain one, else the server's. The server's own id is kept beside it, so that two requests with
 * the same client id stay apart in the audit log. The shape its error bodies take, which follows its path, is bound
 * beside them.
 */
public class RequestIdFilter implements Filter {
    private final ErrorRenderer errors;

    public RequestIdFilter(ErrorRenderer errors) {
        this.errors = errors;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String serverId = RequestIds.newId();
        String requestId = RequestIds.choose(((HttpServletRequest) request).getHeader(RequestIds.HEADER), serverId);
        ((HttpServletResponse) response).setHeader(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        MDC.put(RequestIds.SERVER_MDC_KEY, serverId);
        errors.beginRequest(((HttpServletRequest) request).getRequestURI());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove(RequestIds.SERVER_MDC_KEY);
            ErrorRenderer.endRequest();
        }
    }
}
