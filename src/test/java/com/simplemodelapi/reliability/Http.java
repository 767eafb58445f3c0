package com.simplemodelapi.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests that call the server from many threads or from outside a Dropwizard extension. */
final class Http {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A response: its status and body, with the body as JSON when it is JSON. */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return TestData.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (status " + status + "): " + body, e);
            }
        }
    }

    Reply get(String url, String apiKey) {
        return send(request(url, apiKey).GET());
    }

    Reply get(String url) {
        return get(url, null);
    }

    Reply post(String url, String apiKey, String json) {
        return send(request(url, apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POST with an empty body, as for an admin task. */
    Reply post(String url) {
        return send(request(url, null).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpRequest.Builder request(String url, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        return apiKey == null ? builder : builder.header("Authorization", "Bearer " + apiKey);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
