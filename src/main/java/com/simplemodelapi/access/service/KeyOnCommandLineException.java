package com.simplemodelapi.access.service;

import com.simplemodelapi.common.DomainException;

/**
 * A whole key given as a command-line argument, which ends up in shell history and in the process list; it is
 * refused rather than used.
 */
public class KeyOnCommandLineException extends DomainException {
    public KeyOnCommandLineException(String message) {
        super(Kind.INVALID, message);
    }
}
