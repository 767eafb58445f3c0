package com.simplemodelapi.usage.service;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/usage-flush} on the admin port: write this server's usage counts now and read the quota totals,
 * rather than at the next flush; before reading usage that must include the last calls, for example.
 */
public class FlushTask extends Task {
    private final UsageFlusher flusher;

    public FlushTask(UsageFlusher flusher) {
        super("usage-flush");
        this.flusher = flusher;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        if (!flusher.flush()) {
            throw new FlushFailed();
        }
        output.println("Usage flushed.");
    }

    /** The task servlet answers 500 with this message; the flusher has logged why. */
    static final class FlushFailed extends RuntimeException {
        FlushFailed() {
            super("The usage flush failed; the counts are kept and go with the next flush. The log says why.", null,
                    false, false);
        }
    }
}
