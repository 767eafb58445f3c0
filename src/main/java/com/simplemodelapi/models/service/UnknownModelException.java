package com.simplemodelapi.models.service;

import com.simplemodelapi.common.DomainException;

/** No model has that name. */
public class UnknownModelException extends DomainException {
    public UnknownModelException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
