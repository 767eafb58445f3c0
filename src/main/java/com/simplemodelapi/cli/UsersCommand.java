package com.simplemodelapi.cli;

import com.simplemodelapi.access.dao.GrantRow;
import com.simplemodelapi.access.dao.UserRow;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.access.service.AccessDirectory;
import com.simplemodelapi.access.service.AccessService;
import com.simplemodelapi.access.service.IssuedKey;
import com.simplemodelapi.access.service.UserDetails;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class UsersCommand extends OperatorCommand {
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/(s|sec|second|m|min|minute|h|hour)");

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
        action("limit", "Set a user's limits (a request rate, instances per UTC day and month), or --clear them;"
                        + " limits not given stay as they were", UsersCommand::limitOptions, UsersCommand::limit);
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

    /** What users limit did, for --json: the user's limits as they now stand, each null when not set. */
    private record LimitsSet(String name, Double ratePerSecond, Integer burst, Long dailyInstances,
                             Long monthlyInstances) {
        LimitsSet(String name, Limits limits) {
            this(name, limits.ratePerSecond(), limits.burst(), limits.dailyInstances(), limits.monthlyInstances());
        }
    }

    private static void limitOptions(Subparser parser) {
        name(parser);
        parser.addArgument("--rate").metavar("N/UNIT")
                .help("requests per second, minute or hour across all the user's keys: 50/s, 3000/min, 100/h");
        parser.addArgument("--burst").metavar("N")
                .help("requests that may come at once before the rate applies (default: one second of the rate)");
        parser.addArgument("--daily-instances").dest("daily").metavar("N")
                .help("instances (records) the user may have predicted per UTC day");
        parser.addArgument("--monthly-instances").dest("monthly").metavar("N")
                .help("instances (records) the user may have predicted per UTC month");
        parser.addArgument("--clear").action(Arguments.storeTrue()).help("remove all of the user's limits");
    }

    private static Output limit(Namespace namespace, OperatorContext context) {
        String name = namespace.getString("name");
        AccessService access = new AccessService(context.jdbi());
        Long burst = count("--burst", namespace.getString("burst"), 1, 1_000_000);
        Limits given = new Limits(rate(namespace.getString("rate")), burst == null ? null : burst.intValue(),
                count("--daily-instances", namespace.getString("daily"), 0, Long.MAX_VALUE / 2),
                count("--monthly-instances", namespace.getString("monthly"), 0, Long.MAX_VALUE / 2));
        if (Boolean.TRUE.equals(namespace.getBoolean("clear"))) {
            if (!given.isEmpty()) {
                throw new InvalidOptionException("--clear removes every limit; give it alone.");
            }
            boolean cleared = access.clearLimits(name);
            return new Output(cleared ? "Cleared the limits of user '" + name + "': every server stops enforcing them"
                    + " within a second." : "User '" + name + "' has no limits; nothing changed.",
                    new LimitsSet(name, Limits.NONE));
        }
        Limits now = access.setLimits(name, given);
        return new Output("Limits of user '" + name + "' now: " + describe(now) + ". Every server enforces them within"
                + " a second.", new LimitsSet(name, now));
    }

    static String describe(Limits limits) {
        if (limits.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (limits.ratePerSecond() != null) {
            parts.add("rate " + number(limits.ratePerSecond()) + "/s, burst " + limits.burstOrDefault());
        }
        if (limits.dailyInstances() != null) {
            parts.add(limits.dailyInstances() + " instances per UTC day");
        }
        if (limits.monthlyInstances() != null) {
            parts.add(limits.monthlyInstances() + " instances per UTC month");
        }
        return String.join("; ", parts);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** "50/s", "3000/min" or "100/h" as requests per second; null when not given. */
    static Double rate(String text) {
        if (text == null) {
            return null;
        }
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            double count = Double.parseDouble(rate.group(1));
            double perSecond = count / switch (rate.group(2)) {
                case "s", "sec", "second" -> 1;
                case "m", "min", "minute" -> 60;
                default -> 3600;
            };
            if (count > 0 && perSecond <= 1_000_000) {
                return perSecond;
            }
        }
        throw new InvalidOptionException("--rate takes a number of requests per second, minute or hour, such as 50/s,"
                + " 3000/min or 100/h, up to 1000000/s; got '" + text + "'.");
    }

    /** A whole number from {@code least} to {@code most}; null when not given. */
    private static Long count(String option, String text, long least, long most) {
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= least && value <= most) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InvalidOptionException(option + " takes a whole number from " + least + " to " + most + "; got '"
                + text + "'.");
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
