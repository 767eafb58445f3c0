package com.simplemodelapi.usage.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.error.ClientText;
import com.simplemodelapi.models.file.ModelNames;
import com.simplemodelapi.usage.api.UsageReport;
import com.simplemodelapi.usage.service.InvalidUsageQueryException;
import com.simplemodelapi.usage.service.InvalidUsageQueryException.Problem;
import com.simplemodelapi.usage.service.UsagePeriod;
import com.simplemodelapi.usage.service.UsageReports;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The caller's own usage, from the usage table: nobody else's, whatever the query says, and that of models they may
 * no longer call too. The table is up to one flush interval behind the calls.
 */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    private static final Set<String> PARAMETERS = Set.of("from", "to", "granularity", "model");

    private final UsageReports reports;
    private final Clock clock;

    public UsageResource(UsageReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GET
    @Timed
    @ExceptionMetered
    public UsageReport usage(@Auth Caller caller, @Context UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        try {
            List<Problem> problems = new ArrayList<>();
            for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
                String name = parameter.getKey();
                if (!PARAMETERS.contains(name)) {
                    problems.add(new Problem(ClientText.isShowable(name) ? name : "", "This endpoint takes only the"
                            + " parameters from, to, granularity and model" + (ClientText.isShowable(name)
                            ? "; not '" + name + "'." : ".")));
                } else if (parameter.getValue().size() > 1) {
                    problems.add(new Problem(name, "'" + name + "' is given more than once."));
                }
            }
            String model = query.getFirst("model");
            if (model != null && !ModelNames.isValid(model)) {
                problems.add(new Problem("model", "'model' is not a model name" + (ClientText.isShowable(model)
                        ? ": '" + model + "'." : ".")));
            }
            if (!problems.isEmpty()) {
                throw new InvalidUsageQueryException(problems);
            }
            UsagePeriod period = UsagePeriod.parse(query.getFirst("from"), query.getFirst("to"),
                    query.getFirst("granularity"), clock.instant());
            return reports.report(caller.name(), model, period);
        } catch (InvalidUsageQueryException e) {
            throw new ApiException(400, "invalid_parameter", e.getMessage(), e.problems().stream()
                    .map(problem -> Map.<String, Object>of("parameter", problem.parameter(), "message",
                            problem.message()))
                    .toList());
        }
    }
}
