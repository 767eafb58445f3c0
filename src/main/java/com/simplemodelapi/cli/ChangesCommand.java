package com.simplemodelapi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplemodelapi.changes.dao.OperatorChange;
import com.simplemodelapi.changes.service.ChangeHistory;
import com.simplemodelapi.common.DateOrTime;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

public class ChangesCommand extends OperatorCommand {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    public ChangesCommand() {
        super("changes", "Read the log of every change operators' commands made");
        action("list", "Print the newest changes, oldest first: when, who (the operating-system user), the command,"
                        + " what it changed and its details",
                parser -> {
                    parser.addArgument("--since").metavar("WHEN")
                            .help("only changes at or after this date (2026-12-01, from midnight UTC) or time"
                                    + " (2026-12-01T09:30:00Z)");
                    parser.addArgument("--limit").metavar("N").setDefault(String.valueOf(DEFAULT_LIMIT))
                            .help("print at most the newest N changes (default " + DEFAULT_LIMIT + ", at most "
                                    + MAX_LIMIT + ")");
                },
                (namespace, context) -> {
                    String sinceOption = namespace.getString("since");
                    Instant since = sinceOption == null ? Instant.EPOCH : since(sinceOption);
                    int limit = limit(namespace.getString("limit"));
                    ChangeHistory.Recent recent = new ChangeHistory(context.jdbi()).since(since, limit);
                    return new Output(table(recent, sinceOption == null ? null : since),
                            document(recent, context.json()));
                });
    }

    /** A date is from its midnight in UTC; a time without an offset is in UTC too. */
    static Instant since(String text) {
        DateOrTime since = DateOrTime.parse(text);
        if (since == null) {
            throw new InvalidOptionException("--since takes a date (2026-12-01, from midnight UTC) or a time"
                    + " (2026-12-01T09:30:00Z); got '" + text + "'.");
        }
        return since.start();
    }

    static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InvalidOptionException("--limit takes a whole number from 1 to " + MAX_LIMIT + "; got '" + text
                + "'.");
    }

    private static String table(ChangeHistory.Recent recent, Instant since) {
        if (recent.changes().isEmpty()) {
            return since == null ? "No changes." : "No changes since " + since + ".";
        }
        Table table = new Table("ID", "CHANGED_AT", "OS_USER", "COMMAND", "TARGET", "DETAILS");
        for (OperatorChange change : recent.changes()) {
            table.row(String.valueOf(change.id()), change.changedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
                    change.osUser(), change.command(), change.target(), change.details());
        }
        String text = table.render().stripTrailing();
        if (recent.isCut()) {
            text += "\n(the newest " + recent.changes().size() + " of " + recent.matching()
                    + " changes; --limit or --since shows others)";
        }
        return text;
    }

    private static ObjectNode document(ChangeHistory.Recent recent, ObjectMapper json) throws JsonProcessingException {
        ObjectNode document = json.createObjectNode();
        ArrayNode changes = document.putArray("changes");
        for (OperatorChange change : recent.changes()) {
            changes.addObject()
                    .put("id", change.id())
                    .put("changed_at", change.changedAt().toString())
                    .put("os_user", change.osUser())
                    .put("command", change.command())
                    .put("target", change.target())
                    .set("details", json.readTree(change.details()));
        }
        document.put("matching", recent.matching());
        return document;
    }
}
