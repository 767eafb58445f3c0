package com.simplemodelapi.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event as one JSON line to the {@code audit} logger. Where those lines go, and that the appender is
 * asynchronous yet loses nothing, is set in config.yml.
 */
public class LoggerAuditLog implements AuditLog {
    public static final String LOGGER_NAME = "audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);

    private final ObjectMapper json;

    public LoggerAuditLog(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void record(AuditEvent event) {
        try {
            AUDIT.info(json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an audit event", e);
        }
    }
}
