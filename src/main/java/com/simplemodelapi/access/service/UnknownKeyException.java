package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** No active key matches the one given. */
public class UnknownKeyException extends DomainException {
    public UnknownKeyException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
