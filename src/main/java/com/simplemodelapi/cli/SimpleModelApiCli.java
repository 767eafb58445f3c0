package com.simplemodelapi.cli;

import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * The jar's main class: the service with its command line, {@code server}, {@code check}, {@code db} and the
 * operators' commands. Any of them that fails for a reason an operator can fix says so in one line, with no trace.
 */
public class SimpleModelApiCli extends SimpleModelApiApplication {

    public static void main(String[] args) throws Exception {
        new SimpleModelApiCli().run(args);
    }

    /** As {@code Application.run}, through {@link OneLineCli}, so that a command line that does not parse is one line. */
    @Override
    public void run(String... arguments) throws Exception {
        Bootstrap<SimpleModelApiConfiguration> bootstrap = new Bootstrap<>(this);
        addDefaultCommands(bootstrap);
        initialize(bootstrap);
        bootstrap.registerMetrics();
        OneLineCli.run(new JarLocation(getClass()), bootstrap, System.out, System.err, arguments)
                .ifPresent(this::onFatalError);
    }

    @Override
    public void initialize(Bootstrap<SimpleModelApiConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new LockedDbCommand());
        bootstrap.addCommand(new UsersCommand());
        bootstrap.addCommand(new KeysCommand());
        bootstrap.addCommand(new ModelsCommand());
        bootstrap.addCommand(new GrantsCommand());
        bootstrap.addCommand(new ChangesCommand());
        bootstrap.addCommand(new UsageCommand());
    }

    @Override
    protected void addDefaultCommands(Bootstrap<SimpleModelApiConfiguration> bootstrap) {
        bootstrap.addCommand(new ServerCommand<>(this) {
            @Override
            protected void run(Bootstrap<SimpleModelApiConfiguration> bootstrap, Namespace namespace,
                               SimpleModelApiConfiguration configuration) throws Exception {
                // Before Dropwizard sets the server up and logs about it, so that a start without a database is the
                // error line alone.
                DatabaseSetup.requireEmbeddedPossible(configuration.getDatabase());
                super.run(bootstrap, namespace, configuration);
            }

            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                if (!ErrorLine.printIfDomain(cli, e)) {
                    super.onError(cli, namespace, e);
                }
            }
        });
        bootstrap.addCommand(new CheckCommand<>(this));
    }
}
