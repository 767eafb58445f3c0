package com.simplemodelapi.audit;

/** Where every call to the application port is recorded, once. */
public interface AuditLog {
    void record(AuditEvent event);

    /** False while records cannot be kept and requests must be refused rather than go unrecorded. */
    default boolean accepting() {
        return true;
    }
}
