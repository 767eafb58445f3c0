package com.simplemodelapi.models.service;

import com.simplemodelapi.common.DomainException;

/** The model exists but has no version of that number. */
public class UnknownModelVersionException extends DomainException {
    public UnknownModelVersionException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
