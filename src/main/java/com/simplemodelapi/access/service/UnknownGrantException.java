package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** The user has no grant for that model. */
public class UnknownGrantException extends DomainException {
    public UnknownGrantException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
