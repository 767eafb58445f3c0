package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** Text given as a key that no key ever looked like. */
public class MalformedKeyException extends DomainException {
    public MalformedKeyException(String message) {
        super(Kind.INVALID, message);
    }
}
