package com.simplemodelapi.usage.service;

import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit log, with each request it records also counted for the usage table, from the same event: the audit line
 * and the usage count can never disagree, which is what lets {@code usage rebuild} recompute usage from audit lines.
 * The event is recorded first; counting can never fail the request or the audit line.
 */
public final class CountingAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(CountingAuditLog.class);

    private final AuditLog audit;
    private final UsageCounter counter;
    private final AtomicBoolean warned = new AtomicBoolean();

    public CountingAuditLog(AuditLog audit, UsageCounter counter) {
        this.audit = audit;
        this.counter = counter;
    }

    @Override
    public void record(AuditEvent event) {
        audit.record(event);
        try {
            counter.count(event);
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.error("Counting a request's usage failed; requests are still served and audited, but the usage"
                        + " table may be short ('usage rebuild --from-audit' recomputes it)", e);
            }
        }
    }

    @Override
    public boolean accepting() {
        return audit.accepting();
    }
}
