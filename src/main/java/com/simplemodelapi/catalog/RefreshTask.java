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
        Catalog refreshed = catalog.refresh();
        output.printf("Refreshed: %d active keys, %d model versions.%n",
                refreshed.callerKeyCount(), refreshed.allVersions().size());
    }
}
