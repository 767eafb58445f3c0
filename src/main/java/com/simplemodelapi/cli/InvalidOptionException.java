package com.simplemodelapi.cli;

import com.simplemodelapi.common.DomainException;

/** An option's value that the command cannot take, such as a date that is not one. */
class InvalidOptionException extends DomainException {
    InvalidOptionException(String message) {
        super(Kind.INVALID, message);
    }
}
