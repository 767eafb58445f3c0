package com.simplemodelapi.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.TestApp;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import org.apache.commons.text.StringSubstitutor;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CLI run in this JVM, as the main class runs it ({@link OneLineCli}) but without {@code System.exit}: the real
 * {@code initialize} (its commands, the {@code db} commands, their error handling) and the real config.yml, whose
 * variables come from {@code env} alone. What a user would see is captured: the Cli's own streams and, as Dropwizard's
 * guide to testing commands does it, System.out and System.err, where the commands print and the log appender writes;
 * System.in is what the test gives (nothing, unless it says).
 * Left out: the server and check commands (a protected method adds them; they run as real processes), and the JVM
 * metrics with their JMX reporter, which would pile up run after run. A command sets up the JVM's logging as the real
 * one does, which detaches the audit appenders of any server running in this JVM: run servers beside it as
 * processes of their own ({@code testing/ServerProcess}).
 */
public final class InProcessCli {
    private InProcessCli() {
    }

    /** Runs {@code <args> config.yml}; the exit code is 1 when the Cli reports an error, as the main class exits. */
    public static CliTest.Run run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    /** The same with {@code stdin} as its standard input. */
    public static synchronized CliTest.Run runWithInput(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        InputStream systemIn = System.in;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Optional<Throwable> error;
        try {
            error = OneLineCli.run(new JarLocation(SimpleModelApiApplication.class), bootstrap(env), stdout, stderr,
                    Stream.concat(Stream.of(args), Stream.of(TestApp.CONFIG)).toArray(String[]::new));
        } finally {
            // Stopping the command's log appenders writes out what its asynchronous appender still holds.
            logging().reset();
            System.setOut(systemOut);
            System.setErr(systemErr);
            System.setIn(systemIn);
            restoreTestLogging();
        }
        return new CliTest.Run(error.isPresent() ? 1 : 0, stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    private static Bootstrap<SimpleModelApiConfiguration> bootstrap(Map<String, String> env) {
        SimpleModelApiApplication application = new SimpleModelApiCli();
        Bootstrap<SimpleModelApiConfiguration> bootstrap = new Bootstrap<>(application);
        // The test's variables, and config.yml's defaults for the rest, are filled in before the application's own
        // substitution from the environment, which then finds nothing left to fill.
        bootstrap.setConfigurationSourceProvider(
                new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new StringSubstitutor(env)));
        // Nor may the "dw." system properties through which a Dropwizard test app takes its overrides reach it: a test
        // app that is running, or failed to clear them, would point the command at another database.
        bootstrap.setConfigurationFactoryFactory((klass, validator, json, prefix) ->
                new YamlConfigurationFactory<>(klass, validator, json, "in-process-cli-takes-no-overrides"));
        application.initialize(bootstrap);
        return bootstrap;
    }

    /** The command set up logging from config.yml for the whole JVM; the other tests log as logback-test.xml says. */
    private static void restoreTestLogging() {
        try {
            new ContextInitializer(logging()).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("Cannot restore the tests' logging configuration", e);
        }
    }

    private static LoggerContext logging() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
