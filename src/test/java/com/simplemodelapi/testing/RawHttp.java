package com.simplemodelapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plain HTTP calls with exactly the headers given (repeated ones included), for tests about what a caller sends
 * rather than what a well-behaved client would.
 */
public final class RawHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"[^\"]*\"");

    private RawHttp() {
    }

    /** {@code authorization} holds the values of Authorization headers to send, one header each; a JSON body or null. */
    public static HttpResponse<String> send(String method, String url, List<String> authorization, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        authorization.forEach(value -> request.header("Authorization", value));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return send(request.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An error body with its request id blanked, so that bodies of different requests can be compared byte for byte. */
    public static String withoutRequestId(String body) {
        return REQUEST_ID.matcher(body).replaceAll("\"request_id\":\"\"");
    }
}
