package com.simplemodelapi.cli;

import io.dropwizard.core.cli.Cli;

import java.io.PrintWriter;

/** An operator's request that cannot be carried out. The CLI prints the message as one line and exits non-zero. */
public class OperatorError extends RuntimeException {
    public OperatorError(String message) {
        super(message);
    }

    /** Prints an operator error as one line and returns true; returns false for anything else. */
    public static boolean printIfOne(Cli cli, Throwable e) {
        if (!(e instanceof OperatorError)) {
            return false;
        }
        PrintWriter err = cli.getStdErr();
        err.println("error: " + e.getMessage());
        return true;
    }
}
