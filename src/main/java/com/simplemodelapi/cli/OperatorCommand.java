package com.simplemodelapi.cli;

import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A CLI command with actions, such as {@code users add --name alice config.yml}. It works on the database the config
 * names, the embedded one included, whether or not a server is running, and prints what the action returns on
 * stdout: its text, or with {@code --json} (which every action takes) its one JSON document. A
 * {@link com.simplemodelapi.common.DomainException} becomes one line on stderr and a non-zero exit.
 */
public abstract class OperatorCommand extends ConfiguredCommand<SimpleModelApiConfiguration> {
    private static final String ACTION = "action";
    private static final String JSON = "json";

    private final Map<String, Action> actions = new LinkedHashMap<>();

    protected OperatorCommand(String name, String description) {
        super(name, description);
    }

    @FunctionalInterface
    protected interface ActionBody {
        Output run(Namespace namespace, OperatorContext context) throws Exception;
    }

    private record Action(String help, Consumer<Subparser> options, ActionBody body) {
    }

    protected final void action(String name, String help, Consumer<Subparser> options, ActionBody body) {
        actions.put(name, new Action(help, options, body));
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers subparsers = subparser.addSubparsers().title("actions").dest(ACTION);
        actions.forEach((name, action) -> {
            Subparser actionParser = subparsers.addParser(name).help(action.help()).description(action.help());
            action.options().accept(actionParser);
            actionParser.addArgument("--json").dest(JSON).action(Arguments.storeTrue())
                    .help("print one JSON document instead of text, for scripts");
            addFileArgument(actionParser);
        });
    }

    @Override
    protected void run(Bootstrap<SimpleModelApiConfiguration> bootstrap, Namespace namespace,
                       SimpleModelApiConfiguration config) throws Exception {
        Output output = withDatabase(bootstrap, config, getName(),
                context -> actions.get(namespace.getString(ACTION)).body().run(namespace, context));
        System.out.println(Boolean.TRUE.equals(namespace.getBoolean(JSON))
                ? JsonOutput.write(bootstrap.getObjectMapper(), output.json())
                : output.text().stripTrailing());
        System.out.flush();
    }

    /** What a command does with the database the config names, once its schema is known to be current. */
    @FunctionalInterface
    interface DatabaseWork<T> {
        T run(OperatorContext context) throws Exception;
    }

    /** Runs {@code work} on the config's database (starting the embedded one if that is it), then lets it go. */
    static <T> T withDatabase(Bootstrap<SimpleModelApiConfiguration> bootstrap, SimpleModelApiConfiguration config,
                              String name, DatabaseWork<T> work) throws Exception {
        try (DatabaseSetup ignored = DatabaseSetup.prepare(config, bootstrap.getMetricRegistry(),
                DatabaseSetup.Schema.REQUIRE_CURRENT)) {
            ManagedDataSource dataSource = config.getDatabase().build(bootstrap.getMetricRegistry(), name);
            dataSource.start();
            try {
                Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
                return work.run(new OperatorContext(jdbi, bootstrap.getObjectMapper(), bootstrap.getMetricRegistry(),
                        config));
            } finally {
                dataSource.stop();
            }
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!ErrorLine.printIfDomain(cli, e)) {
            super.onError(cli, namespace, e);
        }
    }
}
