package com.simplemodelapi.cli;

import com.simplemodelapi.access.dao.GrantRow;
import com.simplemodelapi.access.dao.UserRow;
import com.simplemodelapi.access.service.AccessDirectory;
import com.simplemodelapi.access.service.AccessService;
import com.simplemodelapi.access.service.IssuedKey;
import com.simplemodelapi.access.service.UserDetails;
import net.sourceforge.argparse4j.inf.Subparser;

import java.util.List;

public class UsersCommand extends OperatorCommand {
    public UsersCommand() {
        super("users", "Manage users");
        action("add", "Create a user and print their first API key, alone on the last line",
                parser -> parser.addArgument("--name").required(true).help("the new user's name"),
                (namespace, context) -> {
                    IssuedKey key = new AccessService(context.jdbi()).addUser(namespace.getString("name"));
                    return new Output("Created user '" + key.user() + "' with key " + key.id() + " (prefix "
                            + key.prefix() + "). Their API key is shown only now:\n" + key.key(), key);
                });
        action("list", "List users: when created and disabled, how many active keys and grants they have",
                parser -> { },
                (namespace, context) -> {
                    List<UserRow> users = new AccessDirectory(context.jdbi()).users();
                    return new Output(table(users).render(), users);
                });
        action("show", "Show a user with their keys (by id and prefix) and grants",
                parser -> parser.addArgument("--name").required(true).help("the user's name"),
                (namespace, context) -> {
                    UserDetails details = new AccessDirectory(context.jdbi()).user(namespace.getString("name"));
                    return new Output(text(details), details);
                });
        action("disable", "Refuse all of a user's keys, keeping the keys and grants; 'users enable' undoes it",
                UsersCommand::name,
                (namespace, context) -> {
                    String name = namespace.getString("name");
                    boolean changed = new AccessService(context.jdbi()).disableUser(name);
                    return new Output(changed
                            ? "Disabled user '" + name + "': servers refuse all their keys from now on. Their keys and"
                                    + " grants are kept; 'users enable --name " + name + "' lets them call again."
                            : "User '" + name + "' was already disabled; nothing changed.",
                            new Toggled(name, changed));
                });
        action("enable", "Let a disabled user call again with their keys that are not revoked",
                UsersCommand::name,
                (namespace, context) -> {
                    String name = namespace.getString("name");
                    boolean changed = new AccessService(context.jdbi()).enableUser(name);
                    return new Output(changed
                            ? "Enabled user '" + name + "': their keys that are not revoked work again."
                            : "User '" + name + "' is not disabled; nothing changed.",
                            new Toggled(name, changed));
                });
    }

    /** What users disable and enable did, for --json. */
    private record Toggled(String name, boolean changed) {
    }

    private static void name(Subparser parser) {
        parser.addArgument("--name").required(true).help("the user's name");
    }

    private static Table table(List<UserRow> users) {
        Table table = new Table("NAME", "CREATED", "DISABLED", "KEYS", "GRANTS");
        users.forEach(user -> table.row(user.name(), user.createdAt(), user.disabledAt(), user.activeKeys(),
                user.grants()));
        return table;
    }

    private static String text(UserDetails details) {
        UserRow user = details.user();
        String fields = new Fields()
                .add("name", user.name())
                .add("created", user.createdAt())
                .add("disabled", user.disabledAt())
                .add("active keys", user.activeKeys())
                .add("grants", user.grants())
                .render();
        return fields + "\n" + KeysCommand.table(details.keys(), false).render()
                + "\n" + grants(details.grants()).render();
    }

    private static Table grants(List<GrantRow> grants) {
        Table table = new Table("MODEL", "GRANTED");
        grants.forEach(grant -> table.row(grant.model(), grant.createdAt()));
        return table;
    }
}
