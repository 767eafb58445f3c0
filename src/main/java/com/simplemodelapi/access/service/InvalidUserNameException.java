package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** A user name that breaks the naming rule. */
public class InvalidUserNameException extends DomainException {
    public InvalidUserNameException(String message) {
        super(Kind.INVALID, message);
    }
}
