package com.simplemodelapi.cli;

import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.migrations.DbCommand;
import net.sourceforge.argparse4j.inf.Namespace;

import java.util.Set;

/**
 * Dropwizard's {@code db} commands (Liquibase's migrate, status, rollback, ...), each of which may change the schema
 * or Liquibase's changelog holding the migration lock a server takes around its own migration at start, with the
 * same timeout: {@code db migrate} run as a job cannot race a server starting on an empty database. Only the
 * commands that just read wait for nothing, and {@code locks}, whose {@code --force-release} is for when a stuck
 * migration holds the locks. Waiting longer than the timeout is one {@code error:} line.
 */
public class LockedDbCommand extends DbCommand<SimpleModelApiConfiguration> {
    /** Where Dropwizard's {@code DbCommand} puts the subcommand's name. */
    private static final String SUBCOMMAND = "subcommand";
    private static final Set<String> TAKE_NO_LOCK = Set.of(
            "status", "dump", "generate-docs", "calculate-checksum", "prepare-rollback", "locks");

    public LockedDbCommand() {
        super("db", SimpleModelApiConfiguration::getDatabase, SimpleModelApiConfiguration.class,
                DatabaseSetup.MIGRATIONS_FILE);
    }

    @Override
    protected void run(Bootstrap<SimpleModelApiConfiguration> bootstrap, Namespace namespace,
                       SimpleModelApiConfiguration config) throws Exception {
        try (DatabaseSetup ignored = DatabaseSetup.prepare(config, bootstrap.getMetricRegistry(),
                DatabaseSetup.Schema.LEAVE)) {
            if (TAKE_NO_LOCK.contains(namespace.getString(SUBCOMMAND))) {
                super.run(bootstrap, namespace, config);
                return;
            }
            DatabaseSetup.boundLockWaits(config.getDatabase());
            try (DatabaseSetup.MigrationLock lock = DatabaseSetup.holdMigrationLock(config.getDatabase())) {
                super.run(bootstrap, namespace, config);
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
