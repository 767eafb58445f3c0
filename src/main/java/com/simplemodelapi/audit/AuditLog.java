package com.simplemodelapi.audit;

/** Where every call to the application port is recorded, once. */
public interface AuditLog {
    void record(AuditEvent event);
}
