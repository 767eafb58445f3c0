package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** Limits that cannot be set as given. */
public class InvalidLimitsException extends DomainException {
    public InvalidLimitsException(String message) {
        super(Kind.INVALID, message);
    }
}
