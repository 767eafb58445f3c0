package com.simplemodelapi.cli;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.usage.api.UsageTotals;
import com.simplemodelapi.usage.dao.UsageBucketRow;
import com.simplemodelapi.usage.service.UsagePeriod;
import com.simplemodelapi.usage.service.UsageRebuild;
import com.simplemodelapi.usage.service.UsageReports;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.MutuallyExclusiveGroup;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code usage --user N | --model M [--from] [--to] [--granularity] [--json | --csv] config.yml}: what a user's calls,
 * or every user's calls to a model, came to, from the usage table. {@code usage rebuild --from-audit FILE...
 * config.yml} recomputes the table's minutes that the audit files cover from them.
 *
 * <p>The audit files are a list, and so is everything after {@code --from-audit}: a config file given last there is
 * recognised by its {@code .yml} or {@code .yaml} ending, as every other command takes it last.
 */
public class UsageCommand extends ConfiguredCommand<SimpleModelApiConfiguration> {
    private static final String REBUILD = "rebuild";

    public UsageCommand() {
        super("usage", "Show what users' calls came to (or 'usage rebuild --from-audit FILE...' to recompute it)");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("words").nargs("*").metavar("[rebuild] [config.yml]")
                .help("'rebuild' to recompute the usage table from audit files; then the config file");
        MutuallyExclusiveGroup who = subparser.addMutuallyExclusiveGroup();
        who.addArgument("--user").metavar("NAME").help("this user's usage of every model");
        who.addArgument("--model").metavar("NAME").help("every user's usage of this model");
        subparser.addArgument("--from").metavar("WHEN")
                .help("from this date (2026-11-01, its midnight UTC) or time; default 30 days before --to");
        subparser.addArgument("--to").metavar("WHEN")
                .help("up to this time, or the end of this date; default now");
        subparser.addArgument("--granularity").choices("minute", "hour", "day").setDefault("day")
                .help("the buckets' length (default day; minute for at most 2 days)");
        MutuallyExclusiveGroup format = subparser.addMutuallyExclusiveGroup();
        format.addArgument("--json").action(Arguments.storeTrue()).help("print one JSON document");
        format.addArgument("--csv").action(Arguments.storeTrue()).help("print CSV with a header line");
        subparser.addArgument("--from-audit").dest("audit").nargs("+").metavar("FILE")
                .help("with rebuild: every server's audit files for the period (rolled and .gz ones too)");
    }

    /** Takes the config file from where it was given, then runs as any configured command. */
    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        List<String> words = new ArrayList<>(namespace.<String>getList("words"));
        List<String> audit = namespace.getList("audit") == null ? new ArrayList<>()
                : new ArrayList<>(namespace.<String>getList("audit"));
        boolean rebuild = !words.isEmpty() && words.get(0).equals(REBUILD);
        if (rebuild) {
            words.remove(0);
        }
        if (words.isEmpty() && !audit.isEmpty() && isConfigFile(audit.get(audit.size() - 1))) {
            words.add(audit.remove(audit.size() - 1));
        }
        if (words.size() > 1) {
            throw new InvalidOptionException("usage takes 'rebuild' or nothing, then the config file; got "
                    + String.join(" ", words) + ".");
        }
        Map<String, Object> attributes = new HashMap<>(namespace.getAttrs());
        attributes.put("file", words.isEmpty() ? null : words.get(0));
        attributes.put(REBUILD, rebuild);
        attributes.put("audit", audit);
        super.run(bootstrap, new Namespace(attributes));
    }

    private static boolean isConfigFile(String name) {
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    @Override
    protected void run(Bootstrap<SimpleModelApiConfiguration> bootstrap, Namespace namespace,
                       SimpleModelApiConfiguration config) throws Exception {
        List<String> audit = namespace.getList("audit");
        String user = namespace.getString("user");
        String model = namespace.getString("model");
        if (Boolean.TRUE.equals(namespace.getBoolean(REBUILD))) {
            if (audit.isEmpty() || user != null || model != null) {
                throw new InvalidOptionException("usage rebuild takes --from-audit FILE... and nothing else.");
            }
            UsageRebuild.Result result = OperatorCommand.withDatabase(bootstrap, config, getName(), context ->
                    new UsageRebuild(context.jdbi(), context.json()).rebuild(audit.stream().map(Path::of).toList()));
            print(Boolean.TRUE.equals(namespace.getBoolean("json")) ? JsonOutput.write(bootstrap.getObjectMapper(), result)
                    : rebuilt(result));
            return;
        }
        if (!audit.isEmpty()) {
            throw new InvalidOptionException("--from-audit goes with 'usage rebuild'.");
        }
        if ((user == null) == (model == null)) {
            throw new InvalidOptionException("usage takes --user NAME or --model NAME.");
        }
        UsagePeriod period = UsagePeriod.parse(namespace.getString("from"), namespace.getString("to"),
                namespace.getString("granularity"), Instant.now());
        List<UsageBucketRow> rows = OperatorCommand.withDatabase(bootstrap, config, getName(), context -> {
            UsageReports reports = new UsageReports(context.jdbi());
            return user != null ? reports.ofUser(user, null, period) : reports.ofModel(model, period);
        });
        if (Boolean.TRUE.equals(namespace.getBoolean("json"))) {
            print(JsonOutput.write(bootstrap.getObjectMapper(), new Report(user, model, period.from(), period.to(),
                    period.granularity().unit(), rows.stream().map(Bucket::of).toList(),
                    UsageReports.totals(rows))));
        } else if (Boolean.TRUE.equals(namespace.getBoolean("csv"))) {
            print(csv(rows));
        } else {
            print(table(rows, user != null ? "user '" + user + "'" : "model '" + model + "'", period));
        }
    }

    /** The report for --json. */
    private record Report(String user, String model, Instant from, Instant to, String granularity,
                          List<Bucket> buckets, UsageTotals totals) {
    }

    private record Bucket(Instant start, String user, String model, int version, long requests, long instances,
                          long errors, double meanDurationMs) {
        static Bucket of(UsageBucketRow row) {
            return new Bucket(row.start(), row.userName(), row.model(), row.version(), row.requests(),
                    row.instances(), row.errors(), UsageReports.mean(row.durationMs(), row.requests()));
        }
    }

    private static String table(List<UsageBucketRow> rows, String whose, UsagePeriod period) {
        String heading = "Usage of " + whose + " from " + Table.cell(period.from()) + " to "
                + Table.cell(period.to()) + ", by " + period.granularity().unit() + " (UTC):\n";
        if (rows.isEmpty()) {
            return heading + "No calls.";
        }
        Table table = new Table("START", "USER", "MODEL", "VERSION", "REQUESTS", "INSTANCES", "ERRORS", "MEAN_MS");
        for (UsageBucketRow row : rows) {
            table.row(row.start(), row.userName(), row.model(), row.version(), row.requests(), row.instances(),
                    row.errors(), UsageReports.mean(row.durationMs(), row.requests()));
        }
        UsageTotals totals = UsageReports.totals(rows);
        table.row("TOTAL", null, null, null, totals.requests(), totals.instances(), totals.errors(),
                totals.meanDurationMs());
        return heading + table.render();
    }

    private static String csv(List<UsageBucketRow> rows) {
        StringBuilder csv = new StringBuilder("start,user,model,version,requests,instances,errors,mean_duration_ms\n");
        for (UsageBucketRow row : rows) {
            // Names are letters, digits and . _ @ -: nothing to quote.
            csv.append(row.start()).append(',').append(row.userName()).append(',').append(row.model()).append(',')
                    .append(row.version()).append(',').append(row.requests()).append(',').append(row.instances())
                    .append(',').append(row.errors()).append(',')
                    .append(UsageReports.mean(row.durationMs(), row.requests())).append('\n');
        }
        return csv.toString();
    }

    private static String rebuilt(UsageRebuild.Result result) {
        if (result.first() == null) {
            return "The audit files hold no call that reached a model (" + result.lines() + " lines, "
                    + result.unreadable() + " unreadable); nothing changed.";
        }
        return "Rebuilt the usage of the minutes from " + result.first() + " to " + result.last() + ": "
                + result.rows() + " rows for " + result.requests() + " requests, from " + result.lines()
                + " audit lines (" + result.unreadable() + " unreadable), replacing " + result.deleted() + " rows.";
    }

    private static void print(String text) {
        System.out.println(text.stripTrailing());
        System.out.flush();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!ErrorLine.printIfDomain(cli, e)) {
            super.onError(cli, namespace, e);
        }
    }
}
