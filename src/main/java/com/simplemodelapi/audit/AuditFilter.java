package com.simplemodelapi.audit;

import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.RequestIds;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/** Records exactly one audit event for every request, whatever its outcome. Runs inside {@code RequestIdFilter}. */
public class AuditFilter implements Filter {
    private final AuditLog auditLog;
    private final ErrorRenderer errors;
    private final Clock clock;

    public AuditFilter(AuditLog auditLog, ErrorRenderer errors, Clock clock) {
        this.auditLog = auditLog;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        RequestAudit audit = RequestAudit.begin();
        boolean failed = true;
        try {
            if (auditLog.accepting()) {
                chain.doFilter(request, response);
            } else {
                refuse(request, response);
            }
            failed = false;
        } finally {
            RequestAudit.end();
            // An exception that escapes Jersey becomes a 500 in Jetty, whatever the response said so far.
            int status = failed ? 500 : response.getStatus();
            double durationMs = AuditEvent.millisSince(startNanos);
            auditLog.record(new AuditEvent(
                    started,
                    RequestIds.current(),
                    RequestIds.currentServerId(),
                    audit.user(),
                    audit.keyId(),
                    request.getMethod(),
                    request.getRequestURI(),
                    status,
                    durationMs,
                    audit.model(),
                    audit.version(),
                    audit.instances(),
                    request.getRemoteAddr(),
                    request.getHeader("User-Agent")));
        }
    }

    /**
     * Failing closed: a call that could not be recorded is not served. Its body is not read, so the connection cannot
     * be reused: say so, or a client that sent its body after the headers would send its next request on a
     * connection the server closes (RFC 9112, section 9.6).
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(503);
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
        response.setContentType("application/json");
        response.getOutputStream().write(errors.bytes(request.getRequestURI(), "audit_unavailable",
                "The audit log cannot be written, so no call is served until it can. Try again later.",
                RequestIds.current()));
    }
}
