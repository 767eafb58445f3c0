package com.simplemodelapi.cli;

import com.simplemodelapi.access.dao.GrantRow;
import com.simplemodelapi.access.service.AccessDirectory;
import com.simplemodelapi.access.service.AccessService;
import net.sourceforge.argparse4j.inf.MutuallyExclusiveGroup;
import net.sourceforge.argparse4j.inf.Subparser;

import java.util.List;

public class GrantsCommand extends OperatorCommand {
    public GrantsCommand() {
        super("grants", "Manage which users may call which models");
        action("add", "Let a user call every version of a model", GrantsCommand::userAndModel,
                (namespace, context) -> {
                    String user = namespace.getString("user");
                    String model = namespace.getString("model");
                    boolean added = new AccessService(context.jdbi()).grant(user, model);
                    return new Output((added ? "Granted" : "Already granted") + ": " + user + " may call " + model
                            + ".", new Change(user, model, added));
                });
        action("remove", "Stop a user calling a model", GrantsCommand::userAndModel,
                (namespace, context) -> {
                    String user = namespace.getString("user");
                    String model = namespace.getString("model");
                    new AccessService(context.jdbi()).removeGrant(user, model);
                    return new Output("Removed: " + user + " may no longer call " + model + ".",
                            new Change(user, model, true));
                });
        action("list", "List grants: all of them, or one user's, or one model's",
                parser -> {
                    MutuallyExclusiveGroup which = parser.addMutuallyExclusiveGroup();
                    which.addArgument("--user").help("only this user's grants");
                    which.addArgument("--model").help("only the grants of this model");
                },
                (namespace, context) -> {
                    List<GrantRow> grants = new AccessDirectory(context.jdbi())
                            .grants(namespace.getString("user"), namespace.getString("model"));
                    Table table = new Table("USER", "MODEL", "GRANTED");
                    grants.forEach(grant -> table.row(grant.user(), grant.model(), grant.createdAt()));
                    return new Output(table.render(), grants);
                });
    }

    /** What {@code grants add} and {@code remove} did: {@code changed} is false for a grant that was already there. */
    private record Change(String user, String model, boolean changed) {
    }

    private static void userAndModel(Subparser parser) {
        parser.addArgument("--user").required(true).help("the user's name");
        parser.addArgument("--model").required(true).help("the model's name");
    }
}
