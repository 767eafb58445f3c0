package com.simplemodelapi.cli;

/** An operator's request that cannot be carried out. The CLI prints the message as one line and exits non-zero. */
public class OperatorError extends RuntimeException {
    public OperatorError(String message) {
        super(message);
    }
}
