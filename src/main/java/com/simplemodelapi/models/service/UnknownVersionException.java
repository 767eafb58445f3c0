package com.simplemodelapi.models.service;

import com.simplemodelapi.common.DomainException;

/** The model exists, but has no version of that number. */
public class UnknownVersionException extends DomainException {
    public UnknownVersionException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
