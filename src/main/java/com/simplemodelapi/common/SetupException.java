package com.simplemodelapi.common;

/**
 * The service's setup keeps the server or a command from running: its config, its database (unreachable, or migrated
 * by another jar), or the user it runs as.
 */
public class SetupException extends DomainException {
    public SetupException(String message) {
        super(Kind.UNAVAILABLE, message);
    }
}
