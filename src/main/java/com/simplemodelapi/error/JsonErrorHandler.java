package com.simplemodelapi.error;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * Answers the errors Jetty raises itself, before or outside Jersey (oversized headers, a bad request line or URI,
 * an ambiguous encoded slash, a method Dropwizard does not allow), in the one error shape instead of Jetty's HTML.
 * Installed on the server and on the application's servlet context. It never shows a stack trace or an exception's
 * text: only Jetty's short reason for a 4xx (such as "Ambiguous URI path separator"), which names the problem.
 */
public class JsonErrorHandler extends ErrorHandler {
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,.:=!'()/_-]{1,120}");

    private final ErrorRenderer renderer;

    public JsonErrorHandler(ErrorRenderer renderer) {
        this.renderer = renderer;
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets a body, not only GET and POST: a client sending FOO deserves to read why it failed. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
                                    Callback callback) {
        String requestId = response.getHeaders().get(RequestIds.HEADER);
        if (requestId == null) {
            requestId = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
            response.getHeaders().put(RequestIds.HEADER, requestId);
        }
        byte[] body = renderer.bytes(request.getHttpURI().getPath(), WebApplicationExceptionMapper.codeFor(status),
                message(status, reason, cause), requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String message(int status, String reason, Throwable cause) {
        String message = WebApplicationExceptionMapper.messageFor(status);
        boolean fromJetty = cause == null || cause instanceof HttpException;
        if (status >= 400 && status < 500 && fromJetty && reason != null && PLAIN_REASON.matcher(reason).matches()
                && !message.contains(reason)) {
            return message.endsWith(".") ? message.substring(0, message.length() - 1) + ": " + reason + "."
                    : message + ": " + reason + ".";
        }
        return message;
    }
}
