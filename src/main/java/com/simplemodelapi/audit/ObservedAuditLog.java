package com.simplemodelapi.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The audit log, with each event it records also handed to something that counts it (the request metrics, the usage
 * counts), so that those counts and the audit lines come from the same events. The event is recorded first and
 * exactly as before; counting can never fail the request or the audit line.
 */
public class ObservedAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedAuditLog.class);

    private final AuditLog audit;
    private final Consumer<AuditEvent> counter;
    private final String counts;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** {@code counts} names what the counter keeps, for the one error logged if it fails. */
    public ObservedAuditLog(AuditLog audit, Consumer<AuditEvent> counter, String counts) {
        this.audit = audit;
        this.counter = counter;
        this.counts = counts;
    }

    @Override
    public void record(AuditEvent event) {
        audit.record(event);
        try {
            counter.accept(event);
        } catch (RuntimeException e) {
            // A bug here would repeat on every request; one stack trace says all there is to say.
            if (warned.compareAndSet(false, true)) {
                LOG.error("Counting a request in {} failed; requests are still served and audited, but {} may be"
                        + " short", counts, counts, e);
            }
        }
    }

    @Override
    public boolean accepting() {
        return audit.accepting();
    }
}
