package com.simplemodelapi.cli;

import com.simplemodelapi.access.service.AccessService;

public class KeysCommand extends OperatorCommand {
    public KeysCommand() {
        super("keys", "Manage API keys");
        action("add", "Create another API key for a user and print it",
                parser -> parser.addArgument("--user").required(true).help("the user's name"),
                (namespace, context) -> new AccessService(context.jdbi()).addKey(namespace.getString("user")));
        action("revoke", "Revoke an API key; servers refuse it from their next catalog refresh",
                parser -> parser.addArgument("--key").required(true).help("the key to revoke"),
                (namespace, context) -> {
                    new AccessService(context.jdbi()).revokeKey(namespace.getString("key"));
                    return "Revoked the key.";
                });
    }
}
