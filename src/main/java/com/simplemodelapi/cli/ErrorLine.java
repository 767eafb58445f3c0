package com.simplemodelapi.cli;

import com.simplemodelapi.common.DomainException;
import io.dropwizard.core.cli.Cli;

/** How the command line reports a request it cannot carry out: one {@code error:} line on stderr, no stack trace. */
final class ErrorLine {
    private ErrorLine() {
    }

    /** Prints a domain error as one line and returns true; returns false for anything else, a bug's trace included. */
    static boolean printIfDomain(Cli cli, Throwable e) {
        if (!(e instanceof DomainException)) {
            return false;
        }
        cli.getStdErr().println("error: " + e.getMessage());
        return true;
    }
}
