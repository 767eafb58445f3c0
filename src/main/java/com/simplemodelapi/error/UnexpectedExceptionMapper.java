package com.simplemodelapi.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bug on our side: logged with the request id, answered with a 500 that reveals nothing of the cause. Except when
 * the request itself could not be read (a broken chunk, a gzip body that is not gzip, a connection that ended early,
 * a Content-Length Jersey cannot parse): that is the client's fault and a 400.
 */
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        Integer clientFault = clientFaultStatus(e);
        if (clientFault != null) {
            LOG.debug("Unreadable request {}", RequestIds.current(), e);
            return ErrorRenderer.response(clientFault, WebApplicationExceptionMapper.codeFor(clientFault),
                    "The request could not be read: its framing, encoding or headers are broken.");
        }
        return internalError(e);
    }

    /** The 500 for a fault of the server's, logged in full with the request id. */
    static Response internalError(Throwable e) {
        LOG.error("Unexpected error handling request {}", RequestIds.current(), e);
        return ErrorRenderer.response(500, "internal_error",
                "The server failed to handle this request. Quote the request id when you report it.");
    }

    /**
     * Jersey hands Jetty's failures to read the request to the mappers wrapped in its own exceptions. Only a failure
     * marked as one while the body was read is the client's; any other IOException (writing an answer, say) is ours.
     */
    private static Integer clientFaultStatus(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http.getCode();
            }
            if (cause instanceof UnreadableRequestException unreadable) {
                return unreadable.status();
            }
            if (cause instanceof org.glassfish.jersey.message.internal.HeaderValueException) {
                return 400;
            }
        }
        return null;
    }
}
