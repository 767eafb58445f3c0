package com.simplemodelapi.catalog;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/refresh} on the admin port: reload the catalog now, for example right after a CLI change. */
public class RefreshTask extends Task {
    private final LiveCatalog catalog;

    public RefreshTask(LiveCatalog catalog) {
        super("refresh");
        this.catalog = catalog;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        Catalog refreshed;
        try {
            refreshed = catalog.refresh();
        } catch (RuntimeException e) {
            if (LiveCatalog.isDatabaseFailure(e)) {
                throw new RefreshFailed(LiveCatalog.reason(e));
            }
            throw e;
        }
        output.printf("Refreshed: %d active keys, %d model versions.%n",
                refreshed.callerKeyCount(), refreshed.allVersions().size());
    }

    /**
     * The task servlet answers 500 with this message and logs it; without a stack trace, since a database that is
     * down is not a bug and an operator retrying the task should not fill the log with traces.
     */
    static final class RefreshFailed extends RuntimeException {
        RefreshFailed(String reason) {
            super("Refresh failed; still serving the catalog loaded before: " + reason, null, false, false);
        }
    }
}
