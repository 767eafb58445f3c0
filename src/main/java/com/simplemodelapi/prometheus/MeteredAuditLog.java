package com.simplemodelapi.prometheus;

import com.simplemodelapi.audit.AuditLog;
import com.simplemodelapi.audit.ObservedAuditLog;

/** The audit log, with each event it records also counted in the request metrics. */
public final class MeteredAuditLog extends ObservedAuditLog {
    public MeteredAuditLog(AuditLog audit, RequestMetrics metrics) {
        super(audit, metrics::count, "the Prometheus request series");
    }
}
