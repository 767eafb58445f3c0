package com.simplemodelapi.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.RawHttp;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage and quotas through the real application on one server: what is counted, what GET /v1/usage shows and to whom,
 * and the 429s of rate limits and quotas with their headers. The server flushes only when the test asks
 * ({@code POST /tasks/usage-flush}), so what the table holds is known at every step.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UsageApiTest {
    private static final String DATABASE = TestPostgres.newMigratedDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "UsageApiTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG,
            ConfigOverride.config("refreshInterval", "1h"),
            ConfigOverride.config("usage.flushInterval", "1h"));

    private static final String ONE = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";
    private static final String WRONG_TYPE = "{\"inputs\": {\"x1\": \"three\", \"x2\": 1}}";

    private static TestData data;

    @BeforeAll
    static void setUp() {
        data = new TestData(DATABASE);
        data.linearModel("lin", 1.0);
        data.linearModel("other", 2.0);
    }

    /** A user granted "lin", with these limits (none when null), known to the server once this returns. */
    private static String user(String name, Limits limits) {
        String key = data.user(name);
        data.grant(name, "lin");
        if (limits != null) {
            data.access().setLimits(name, limits);
        }
        refresh();
        return key;
    }

    private static void refresh() {
        HttpResponse<String> refresh = RawHttp.send("POST", admin("/tasks/refresh"), List.of(), null);
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
    }

    /** Once every request the server took has ended, and so is counted (just after its answer was sent). */
    private static void flush() {
        TestApp.awaitNoRequestInProgress(APP.getEnvironment());
        HttpResponse<String> flush = RawHttp.send("POST", admin("/tasks/usage-flush"), List.of(), null);
        assertThat(flush.statusCode()).as(flush.body()).isEqualTo(200);
    }

    private static String api(String path) {
        return "http://localhost:" + APP.getLocalPort() + path;
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static HttpResponse<String> predict(String key, String model, String body) {
        return RawHttp.send("POST", api("/v1/models/" + model + "/predict"), List.of("Bearer " + key), body);
    }

    private static String batch(int instances) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            records.add("{\"x1\": " + i + ", \"x2\": 1}");
        }
        return "{\"instances\": [" + String.join(", ", records) + "]}";
    }

    private static HttpResponse<String> usage(String key, String query) {
        return RawHttp.send("GET", api("/v1/usage" + (query.isEmpty() ? "" : "?" + query)), List.of("Bearer " + key),
                null);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static JsonNode usageOk(String key, String query) {
        HttpResponse<String> response = usage(key, query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    // --- what is counted, and what GET /v1/usage shows -----------------------------------------------------------------

    @Test
    void countsEveryRequestThatReachedAModelWithItsInstancesErrorsAndDurations() {
        String key = user("counted", null);
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(200);
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(200);
        assertThat(predict(key, "lin", batch(4)).statusCode()).isEqualTo(200);
        assertThat(predict(key, "lin", WRONG_TYPE).statusCode()).isEqualTo(422);
        HttpResponse<String> infer = RawHttp.send("POST", api("/v2/models/lin/infer"), List.of("Bearer " + key),
                "{\"inputs\": [{\"name\": \"x1\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]},"
                        + " {\"name\": \"x2\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
        // Not counted: no model version was reached.
        assertThat(predict(key, "other", ONE).statusCode()).isEqualTo(404);
        assertThat(RawHttp.send("POST", api("/v1/models/lin/versions/9/predict"), List.of("Bearer " + key), ONE)
                .statusCode()).isEqualTo(404);
        assertThat(predict(key, "lin", "{\"inputs\": ").statusCode()).isEqualTo(400);
        assertThat(RawHttp.send("GET", api("/v1/models/lin"), List.of("Bearer " + key), null).statusCode())
                .isEqualTo(200);

        assertThat(usageOk(key, "").at("/totals/requests").asLong()).as("nothing before a flush").isZero();
        flush();

        JsonNode report = usageOk(key, "granularity=minute");
        assertThat(report.get("user").asText()).isEqualTo("counted");
        assertThat(report.get("granularity").asText()).isEqualTo("minute");
        JsonNode totals = report.get("totals");
        assertThat(totals.get("requests").asLong()).as(report.toString()).isEqualTo(5);
        assertThat(totals.get("instances").asLong()).as(report.toString()).isEqualTo(1 + 1 + 4 + 3);
        assertThat(totals.get("errors").asLong()).as(report.toString()).isEqualTo(1);
        assertThat(totals.get("mean_duration_ms").asDouble()).isPositive();
        long requests = 0;
        for (JsonNode bucket : report.get("buckets")) {
            assertThat(bucket.get("model").asText()).isEqualTo("lin");
            assertThat(bucket.get("version").asInt()).isEqualTo(1);
            assertThat(Instant.parse(bucket.get("start").asText()).getEpochSecond() % 60).isZero();
            requests += bucket.get("requests").asLong();
        }
        assertThat(requests).isEqualTo(5);

        JsonNode daily = usageOk(key, "granularity=day&model=lin");
        assertThat(daily.get("buckets")).hasSize(1);
        assertThat(daily.at("/buckets/0/start").asText()).endsWith("T00:00:00Z");
        assertThat(daily.at("/buckets/0/requests").asLong()).isEqualTo(5);
        assertThat(usageOk(key, "model=other").get("buckets")).isEmpty();
    }

    @Test
    void aModelTheCallerMayNoLongerCallStillShowsItsPastUsage() {
        String key = user("former", null);
        data.grant("former", "other");
        refresh();
        assertThat(predict(key, "other", ONE).statusCode()).isEqualTo(200);
        flush();
        data.access().removeGrant("former", "other");
        refresh();
        assertThat(predict(key, "other", ONE).statusCode()).isEqualTo(404);

        JsonNode report = usageOk(key, "model=other");
        assertThat(report.get("totals").get("requests").asLong()).isEqualTo(1);
        assertThat(report.at("/buckets/0/model").asText()).isEqualTo("other");
    }

    @Test
    void badParametersAre400sWithDetailsNamingEachParameter() {
        String key = user("asker", null);
        String today = Instant.now().truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10);
        List<List<String>> cases = List.of(
                List.of("from=yesterday", "from"),
                List.of("to=2026-13-01", "to"),
                List.of("granularity=week", "granularity"),
                List.of("granularity=minute&from=2026-01-01&to=2026-01-05", "granularity"),
                List.of("from=2024-01-01&to=2026-01-01", "from"),
                List.of("from=2026-02-01&to=2026-01-01", "to"),
                List.of("from=" + today + "T10:00:00Z&to=" + today + "T10:00:00Z", "to"),
                List.of("model=Not%20A%20Model", "model"),
                List.of("user=bob", "user"),
                List.of("model=lin&model=other", "model"));
        for (List<String> c : cases) {
            HttpResponse<String> response = usage(key, c.get(0));
            assertThat(response.statusCode()).as(c.get(0) + ": " + response.body()).isEqualTo(400);
            JsonNode error = json(response).get("error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_parameter");
            assertThat(error.get("details")).as(c.get(0)).isNotEmpty();
            assertThat(error.at("/details/0/parameter").asText()).as(c.get(0)).isEqualTo(c.get(1));
        }
        HttpResponse<String> two = usage(key, "from=nope&granularity=" + URLEncoder.encode("a b",
                StandardCharsets.UTF_8));
        assertThat(json(two).at("/error/details")).as("every problem at once").hasSize(2);
    }

    @Test
    void theDefaultPeriodIsTheLast30DaysAndDatesIncludeTheirWholeDay() {
        String key = user("periods", null);
        JsonNode report = usageOk(key, "");
        Instant from = Instant.parse(report.get("from").asText());
        Instant to = Instant.parse(report.get("to").asText());
        assertThat(to).isAfter(Instant.now().minusSeconds(60));
        assertThat(from).isEqualTo(to.minus(30, ChronoUnit.DAYS));
        assertThat(report.get("granularity").asText()).isEqualTo("day");

        JsonNode dates = usageOk(key, "from=2026-01-01&to=2026-01-31");
        assertThat(dates.get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(dates.get("to").asText()).isEqualTo("2026-02-01T00:00:00Z");
    }

    /** The wrong-caller matrix's rule for usage: a key shows its own user's usage and nobody else's, ever. */
    @Test
    void nobodySeesAnotherUsersUsage() {
        String mine = user("mine", null);
        String theirs = user("theirs", null);
        assertThat(predict(theirs, "lin", batch(5)).statusCode()).isEqualTo(200);
        assertThat(predict(mine, "lin", ONE).statusCode()).isEqualTo(200);
        flush();

        for (String query : List.of("", "model=lin", "granularity=minute", "granularity=hour")) {
            JsonNode report = usageOk(mine, query);
            assertThat(report.get("user").asText()).isEqualTo("mine");
            assertThat(report.at("/totals/requests").asLong()).as(query).isEqualTo(1);
            assertThat(report.at("/totals/instances").asLong()).as(query).isEqualTo(1);
            assertThat(report.toString()).doesNotContain("theirs");
        }
        assertThat(usage(mine, "user=theirs").statusCode()).isEqualTo(400);
        assertThat(usageOk(theirs, "").at("/totals/instances").asLong()).isEqualTo(5);
    }

    // --- limits ----------------------------------------------------------------------------------------------------

    @Test
    void aBurstGetsExactlyTheExpected429sWhichAreAuditedAndCountedAsErrors() {
        // Three requests, then one a minute: the burst below takes far less than a minute.
        String key = user("bursty", new Limits(1.0 / 60, 3, null, null));
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            answers.add(predict(key, "lin", ONE));
        }
        assertThat(answers.stream().map(HttpResponse::statusCode).toList())
                .containsExactly(200, 200, 200, 429, 429, 429, 429);
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"rate\";q=3;w=180");
            assertThat(answer.headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).matches("\"rate\";r=[0-2];t=[0-9]+"));
        }
        HttpResponse<String> refused = answers.get(3);
        JsonNode error = json(refused).get("error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(json(refused).get("request_id").asText()).isNotEmpty();

        String lastId = refused.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode audited = AuditLines.awaitRequestId(AUDIT_LOG, lastId, 1).get(0);
        assertThat(audited.get("status").asInt()).isEqualTo(429);
        assertThat(audited.get("user").asText()).isEqualTo("bursty");

        flush();
        JsonNode totals = usageOk(key, "").get("totals");
        assertThat(totals.get("requests").asLong()).isEqualTo(7);
        assertThat(totals.get("errors").asLong()).isEqualTo(4);
        assertThat(totals.get("instances").asLong()).isEqualTo(3);
    }

    @Test
    void retryAfterIsHonestARetryAfterItSucceeds() throws InterruptedException {
        String key = user("patient", new Limits(1.0, 1, null, null));
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = predict(key, "lin", ONE);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isEqualTo(1);
        Thread.sleep(retryAfter * 1000);
        HttpResponse<String> retried = predict(key, "lin", ONE);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    }

    @Test
    void aDailyQuotaLetsExactlyItsInstancesThroughOnOneServerAndSaysWhenItResets() {
        String key = user("metered", new Limits(null, null, 10L, null));
        assertThat(predict(key, "lin", batch(4)).statusCode()).isEqualTo(200);
        assertThat(predict(key, "lin", batch(4)).statusCode()).isEqualTo(200);
        HttpResponse<String> tooMany = predict(key, "lin", batch(4));
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(429);
        assertThat(json(tooMany).at("/error/code").asText()).isEqualTo("quota_exceeded");
        long retryAfter = Long.parseLong(tooMany.headers().firstValue("Retry-After").orElseThrow());
        long toMidnight = Instant.now().until(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS),
                ChronoUnit.SECONDS);
        assertThat(retryAfter).isBetween(1L, toMidnight + 1);
        assertThat(tooMany.headers().firstValue("RateLimit-Policy")).hasValue("\"daily\";q=10;qu=\"instances\";w=86400");
        assertThat(tooMany.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"daily\";r=2;t=");

        HttpResponse<String> rest = predict(key, "lin", batch(2));
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        assertThat(rest.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"daily\";r=0;t=");
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(429);
        // Once flushed, the server's count comes from the table: still exactly used up.
        flush();
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(429);
        assertThat(usageOk(key, "").at("/totals/instances").asLong()).isEqualTo(10);
    }

    @Test
    void aLimitSetOrClearedAppliesAtOnceAndUnlimitedCallersGetNoRateLimitHeaders() {
        String key = user("steered", null);
        HttpResponse<String> free = predict(key, "lin", ONE);
        assertThat(free.headers().firstValue("RateLimit-Policy")).isEmpty();
        assertThat(free.headers().firstValue("RateLimit")).isEmpty();

        data.access().setLimits("steered", new Limits(null, null, 0L, null));
        refresh();
        assertThat(predict(key, "lin", ONE).statusCode()).isEqualTo(429);
        assertThat(data.access().clearLimits("steered")).isTrue();
        refresh();
        HttpResponse<String> again = predict(key, "lin", ONE);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("RateLimit")).isEmpty();
        assertThat(data.access().clearLimits("steered")).isFalse();
    }
}
