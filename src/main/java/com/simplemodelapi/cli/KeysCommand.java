package com.simplemodelapi.cli;

import com.simplemodelapi.access.dao.KeyRow;
import com.simplemodelapi.access.service.AccessDirectory;
import com.simplemodelapi.access.service.AccessService;
import com.simplemodelapi.access.service.IssuedKey;
import com.simplemodelapi.access.service.KeyOnCommandLineException;
import com.simplemodelapi.access.service.MalformedKeyException;
import net.sourceforge.argparse4j.inf.MutuallyExclusiveGroup;
import net.sourceforge.argparse4j.inf.Namespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

public class KeysCommand extends OperatorCommand {
    /** The {@code --key} value that means "read the key from standard input". */
    private static final String STDIN = "-";

    public KeysCommand() {
        super("keys", "Manage API keys");
        action("add", "Create another API key for a user and print it, alone on the last line",
                parser -> parser.addArgument("--user").required(true).help("the user's name"),
                (namespace, context) -> {
                    IssuedKey key = new AccessService(context.jdbi()).addKey(namespace.getString("user"));
                    return new Output("Created key " + key.id() + " (prefix " + key.prefix() + ") for user '"
                            + key.user() + "'. It is shown only now:\n" + key.key(), key);
                });
        action("list", "List API keys by id and prefix (never the keys), revoked ones included",
                parser -> parser.addArgument("--user").help("only this user's keys"),
                (namespace, context) -> {
                    List<KeyRow> keys = new AccessDirectory(context.jdbi()).keys(namespace.getString("user"));
                    return new Output(table(keys, true).render(), keys);
                });
        action("revoke", "Revoke an API key; every server refuses it within a second",
                parser -> {
                    MutuallyExclusiveGroup which = parser.addMutuallyExclusiveGroup().required(true);
                    which.addArgument("--id").type(Long.class).help("the key's id, as 'keys list' shows it");
                    which.addArgument("--key").metavar("-")
                            .help("'-' to read the key itself from standard input; never the key on the command line");
                },
                (namespace, context) -> {
                    AccessService access = new AccessService(context.jdbi());
                    KeyRow revoked = namespace.getLong("id") != null
                            ? access.revokeKeyById(namespace.getLong("id"))
                            : access.revokeKey(keyFromStandardInput(namespace));
                    return new Output("Revoked key " + revoked.id() + " (prefix " + Table.cell(revoked.prefix())
                            + ") of user '" + revoked.user() + "'; every server refuses it within a second.",
                            revoked);
                });
    }

    static Table table(List<KeyRow> keys, boolean withUser) {
        Table table = withUser
                ? new Table("ID", "USER", "PREFIX", "CREATED", "REVOKED")
                : new Table("ID", "PREFIX", "CREATED", "REVOKED");
        for (KeyRow key : keys) {
            if (withUser) {
                table.row(key.id(), key.user(), key.prefix(), key.createdAt(), key.revokedAt());
            } else {
                table.row(key.id(), key.prefix(), key.createdAt(), key.revokedAt());
            }
        }
        return table;
    }

    /**
     * The key, taken only from standard input: a key on the command line ends up in shell history and in every
     * process list, so it is refused without being looked at further (and never repeated in the message).
     */
    private static String keyFromStandardInput(Namespace namespace) throws IOException {
        if (!STDIN.equals(namespace.getString("key"))) {
            throw new KeyOnCommandLineException("A key given on the command line ends up in shell history and in the"
                    + " process list, so it is not used. Revoke it by id with 'keys revoke --id ID' ('keys list'"
                    + " shows ids), or pipe it in with 'keys revoke --key -'.");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isBlank()) {
            throw new MalformedKeyException("No key on standard input: with '--key -' the key is read from"
                    + " standard input, for example 'keys revoke --key - config.yml < key.txt'.");
        }
        return line.strip();
    }
}
