package com.simplemodelapi.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import net.sourceforge.argparse4j.inf.ArgumentParserException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dropwizard's {@link Cli}, except that a command line it cannot parse (an unknown flag, a missing option, a value of
 * the wrong type) gets one {@code error:} line naming the command's {@code --help}, as a domain error does, instead
 * of the parser's message followed by the whole help text. What the Cli itself writes to stderr is held until it
 * returns, which is only at the end of any command: commands log to the process's stderr, not through it.
 */
final class OneLineCli {
    private OneLineCli() {
    }

    static Optional<Throwable> run(JarLocation location, Bootstrap<?> bootstrap, OutputStream stdout,
                                   OutputStream stderr, String... arguments) {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        Cli cli = new Cli(location, bootstrap, stdout, held);
        Optional<Throwable> failure = cli.run(arguments);
        cli.getStdOut().flush();
        cli.getStdErr().flush();
        try {
            if (failure.isPresent() && failure.get() instanceof ArgumentParserException e) {
                PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
                err.println("error: " + e.getMessage() + "; '" + commandOf(arguments) + " --help' shows the options.");
                err.flush();
            } else {
                held.writeTo(stderr);
                stderr.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failure;
    }

    /** The command and its action, such as {@code users list}: the words before the first option. */
    private static String commandOf(String... arguments) {
        List<String> words = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.startsWith("-") || words.size() == 2) {
                break;
            }
            words.add(argument);
        }
        return words.isEmpty() ? "java -jar simple-model-api.jar" : String.join(" ", words);
    }
}
