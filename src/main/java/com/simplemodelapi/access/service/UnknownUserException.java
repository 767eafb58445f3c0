package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** No user has that name. */
public class UnknownUserException extends DomainException {
    public UnknownUserException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
