package com.simplemodelapi.cli;

import com.simplemodelapi.access.service.AccessService;
import net.sourceforge.argparse4j.inf.Subparser;

public class UsersCommand extends OperatorCommand {
    public UsersCommand() {
        super("users", "Manage users");
        action("add", "Create a user and print their first API key, alone on the last line",
                parser -> parser.addArgument("--name").required(true).help("the new user's name"),
                (namespace, context) -> {
                    String name = namespace.getString("name");
                    String key = new AccessService(context.jdbi()).addUser(name);
                    return "Created user '" + name + "'. Their API key is shown only now:\n" + key;
                });
        action("disable", "Refuse all of a user's keys, keeping the keys and grants; 'users enable' undoes it",
                UsersCommand::name,
                (namespace, context) -> {
                    String name = namespace.getString("name");
                    return new AccessService(context.jdbi()).disableUser(name)
                            ? "Disabled user '" + name + "': servers refuse all their keys from now on. Their keys and"
                                    + " grants are kept; 'users enable --name " + name + "' lets them call again."
                            : "User '" + name + "' was already disabled; nothing changed.";
                });
        action("enable", "Let a disabled user call again with their keys that are not revoked",
                UsersCommand::name,
                (namespace, context) -> {
                    String name = namespace.getString("name");
                    return new AccessService(context.jdbi()).enableUser(name)
                            ? "Enabled user '" + name + "': their keys that are not revoked work again."
                            : "User '" + name + "' is not disabled; nothing changed.";
                });
    }

    private static void name(Subparser parser) {
        parser.addArgument("--name").required(true).help("the user's name");
    }
}
