package com.simplemodelapi.common;

/**
 * A request or a command that is wrong, or cannot be carried out where it runs, with a message for the person who can
 * put it right. The HTTP layer answers it in the error shape; the command line prints it as one {@code error:} line.
 * Each kind of refusal is a subclass named for what is wrong.
 */
public abstract class DomainException extends RuntimeException {

    /** What kind of wrong it is, which the HTTP layer turns into a status. */
    public enum Kind {
        /** What was asked for is malformed or breaks a rule. */
        INVALID,
        /** Something it names does not exist. */
        NOT_FOUND,
        /** It clashes with what is already stored. */
        CONFLICT,
        /** What it needs (the database, a writable log, the setup) is not there. */
        UNAVAILABLE
    }

    private final Kind kind;

    protected DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
