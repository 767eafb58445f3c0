package com.simplemodelapi.usage.service;

import com.simplemodelapi.audit.AuditLog;
import com.simplemodelapi.audit.ObservedAuditLog;

/**
 * The audit log, with each request it records also counted for the usage table, from the same event: the audit line
 * and the usage count can never disagree, which is what lets {@code usage rebuild} recompute usage from audit lines
 * ('usage rebuild --from-audit' also repairs the table should counting ever fail).
 */
public final class CountingAuditLog extends ObservedAuditLog {
    public CountingAuditLog(AuditLog audit, UsageCounter counter) {
        super(audit, counter::count, "the usage table");
    }
}
