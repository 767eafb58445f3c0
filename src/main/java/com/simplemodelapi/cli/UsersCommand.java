package com.simplemodelapi.cli;

import com.simplemodelapi.access.service.AccessService;

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
    }
}
