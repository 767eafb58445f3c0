package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/** A user of that name is already stored. */
public class UserExistsException extends DomainException {
    public UserExistsException(String message) {
        super(Kind.CONFLICT, message);
    }
}
