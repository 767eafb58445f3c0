package com.simplemodelapi.prometheus;

import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit log, with each event it records also counted in the request metrics. The event is recorded first and
 * exactly as before; counting can never fail the request or the audit line.
 */
public final class MeteredAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(MeteredAuditLog.class);

    private final AuditLog audit;
    private final RequestMetrics metrics;
    private final AtomicBoolean warned = new AtomicBoolean();

    public MeteredAuditLog(AuditLog audit, RequestMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public void record(AuditEvent event) {
        audit.record(event);
        try {
            metrics.count(event);
        } catch (RuntimeException e) {
            // A bug here would repeat on every request; one stack trace says all there is to say.
            if (warned.compareAndSet(false, true)) {
                LOG.error("Counting a request in the Prometheus metrics failed; requests are still served and"
                        + " audited, but the request series may be short", e);
            }
        }
    }

    @Override
    public boolean accepting() {
        return audit.accepting();
    }
}
