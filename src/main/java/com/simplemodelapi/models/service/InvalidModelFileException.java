package com.simplemodelapi.models.service;

import com.simplemodelapi.common.DomainException;

/** A model file that cannot be stored: a rule it breaks, or a model its algorithm cannot build. */
public class InvalidModelFileException extends DomainException {
    public InvalidModelFileException(String message) {
        super(Kind.INVALID, message);
    }
}
