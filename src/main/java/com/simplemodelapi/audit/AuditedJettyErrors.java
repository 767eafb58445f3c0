package com.simplemodelapi.audit;

import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.JsonErrorHandler;
import com.simplemodelapi.error.RequestIds;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Instant;

/**
 * The server's error handler. Jetty answers some requests itself, before any servlet filter runs: a malformed request
 * line or URI, headers too large, a request that arrives while the server shuts down. On the application port those
 * are calls too, so besides answering in the error shape this records each of them in the audit log, once; the
 * {@link AuditFilter} never sees them.
 */
public class AuditedJettyErrors extends JsonErrorHandler {
    private static final String APPLICATION_CONNECTOR = "application";

    private final AuditLog auditLog;

    public AuditedJettyErrors(ErrorRenderer renderer, AuditLog auditLog) {
        super(renderer);
        this.auditLog = auditLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean handled = super.handle(request, response, callback);
        if (APPLICATION_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())) {
            String requestId = response.getHeaders().get(RequestIds.HEADER);
            // The id the error handler chose is the server's own unless it is the one the client sent.
            boolean clients = requestId != null && requestId.equals(request.getHeaders().get(RequestIds.HEADER));
            auditLog.record(new AuditEvent(
                    Instant.ofEpochMilli(Request.getTimeStamp(request)),
                    requestId,
                    clients ? RequestIds.newId() : requestId,
                    null,
                    null,
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    response.getStatus(),
                    AuditEvent.millisSince(request.getBeginNanoTime()),
                    null,
                    null,
                    null,
                    Request.getRemoteAddr(request),
                    request.getHeaders().get(HttpHeader.USER_AGENT)));
        }
        return handled;
    }
}
