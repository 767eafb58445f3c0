package com.simplemodelapi.usage.service;

import com.simplemodelapi.common.DomainException;

/** An audit file named for a rebuild that is not there. */
public class AuditFileMissingException extends DomainException {
    public AuditFileMissingException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
