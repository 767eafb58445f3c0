package com.simplemodelapi.cli;

import com.simplemodelapi.access.service.AccessService;
import net.sourceforge.argparse4j.inf.Subparser;

public class GrantsCommand extends OperatorCommand {
    public GrantsCommand() {
        super("grants", "Manage which users may call which models");
        action("add", "Let a user call every version of a model", GrantsCommand::userAndModel,
                (namespace, context) -> {
                    String user = namespace.getString("user");
                    String model = namespace.getString("model");
                    boolean added = new AccessService(context.jdbi()).grant(user, model);
                    return (added ? "Granted" : "Already granted") + ": " + user + " may call " + model + ".";
                });
        action("remove", "Stop a user calling a model", GrantsCommand::userAndModel,
                (namespace, context) -> {
                    String user = namespace.getString("user");
                    String model = namespace.getString("model");
                    new AccessService(context.jdbi()).removeGrant(user, model);
                    return "Removed: " + user + " may no longer call " + model + ".";
                });
    }

    private static void userAndModel(Subparser parser) {
        parser.addArgument("--user").required(true).help("the user's name");
        parser.addArgument("--model").required(true).help("the model's name");
    }
}
