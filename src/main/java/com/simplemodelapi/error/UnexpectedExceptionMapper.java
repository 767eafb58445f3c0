package com.simplemodelapi.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bug on our side: logged with the request id, answered with a 500 that reveals nothing of the cause. */
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        LOG.error("Unexpected error handling request {}", RequestIds.current(), e);
        return ErrorResponses.of(500, "internal_error",
                "The server failed to handle this request. Quote the request id when you report it.");
    }
}
