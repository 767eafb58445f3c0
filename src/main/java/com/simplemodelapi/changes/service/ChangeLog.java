package com.simplemodelapi.changes.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.changes.dao.OperatorChangeDao;
import org.jdbi.v3.core.Handle;

import java.util.Map;

/**
 * Writes each change an operator's command makes to {@code operator_changes}, in the transaction of the change
 * itself, so a change and its record commit or roll back together. The same transaction notifies the servers
 * ({@link #CHANNEL}): PostgreSQL delivers a NOTIFY when, and only if, its transaction commits, so servers hear of a
 * change exactly once it is there to be read, and never of one that failed.
 */
public final class ChangeLog {
    /** The channel servers LISTEN on; the payload is the change's id, which they do not need. */
    public static final String CHANNEL = "simple_model_api_changes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String osUser;

    public ChangeLog(String osUser) {
        this.osUser = osUser == null || osUser.isBlank() ? "unknown" : osUser;
    }

    /** Changes made by this process, recorded under the operating-system user running it. */
    public static ChangeLog ofThisProcess() {
        return new ChangeLog(System.getProperty("user.name"));
    }

    /**
     * Records one change within {@code handle}'s transaction. {@code command} is the CLI's ("keys revoke"),
     * {@code target} what it changed (a user or a model name); {@code details} must never hold a key.
     */
    public void record(Handle handle, String command, String target, Map<String, ?> details) {
        long id = handle.attach(OperatorChangeDao.class).insert(osUser, command, target, json(details));
        // NOTIFY takes no bind parameters; the payload is a number, so there is nothing to quote.
        handle.execute("NOTIFY " + CHANNEL + ", '" + id + "'");
    }

    private static String json(Map<String, ?> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Change details must be plain JSON values", e);
        }
    }
}
