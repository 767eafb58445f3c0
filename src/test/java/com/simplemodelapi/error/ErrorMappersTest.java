package com.simplemodelapi.error;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.testing.LogCapture;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ErrorMappersTest {
    /** The mapper the application reads bodies with. */
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    /** Dropwizard's mapper ignores unknown properties; a plain one fails on them, as a stricter setup would. */
    private static final ObjectMapper STRICT = new ObjectMapper();
    private static final String REQUEST_ID = "req-42";

    public record Body(JsonNode id, Map<String, JsonNode> inputs, List<Map<String, JsonNode>> instances,
                       Options options) {
    }

    public record Options(boolean explain) {
    }

    @BeforeEach
    void setRequestId() {
        MDC.put(RequestIds.MDC_KEY, REQUEST_ID);
    }

    @AfterEach
    void clearRequestId() {
        MDC.remove(RequestIds.MDC_KEY);
    }

    private static JsonProcessingException parseFailure(String json) {
        return parseFailure(JSON, json);
    }

    private static JsonProcessingException parseFailure(ObjectMapper mapper, String json) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> mapper.readValue(json, Body.class));
        assertThat(e).as("parsing %s should fail", json).isNotNull();
        return e;
    }

    private static ErrorBody body(Response response) {
        assertThat(response.getEntity()).isInstanceOf(ErrorBody.class);
        return (ErrorBody) response.getEntity();
    }

    /** The body as a client would read it. */
    private static JsonNode wire(Response response) throws JsonProcessingException {
        return JSON.readTree(JSON.writeValueAsString(response.getEntity()));
    }

    @Nested
    class JsonProcessingExceptions {
        private final JsonProcessingExceptionMapper mapper = new JsonProcessingExceptionMapper();

        @Test
        void aBodyThatIsNotJsonIsMalformedJsonWithItsPosition() {
            Response response = mapper.toResponse(parseFailure("{\"id\": 1,\n ,}"));

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            ErrorBody body = body(response);
            assertThat(body.error().code()).isEqualTo("malformed_json");
            assertThat(body.error().message()).isEqualTo("The body is not valid JSON (line 2, column 2).");
            assertThat(body.error().details()).isEmpty();
            assertThat(body.requestId()).isEqualTo(REQUEST_ID);

            assertThat(body(mapper.toResponse(parseFailure("not json"))).error().code()).isEqualTo("malformed_json");
        }

        @Test
        void aSyntaxErrorInsideTheInstancesIsMalformedJson() {
            // Jackson wraps a parse error met below a field (WRAP_EXCEPTIONS is on by default) in a
            // JsonMappingException whose cause is the JsonParseException; it is still not valid JSON.
            JsonProcessingException e = parseFailure("{\"instances\": [secret-patient-data]}");

            Response response = mapper.toResponse(e);

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).error().code()).isEqualTo("malformed_json");
        }

        @Test
        void aTruncatedBodyIsMalformedJson() {
            Response response = mapper.toResponse(parseFailure("{\"instances\": [{\"a\": 1}"));

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).error().code()).isEqualTo("malformed_json");
        }

        @Test
        void noAnswerToABadBodyQuotesTheBody() throws Exception {
            for (String bad : new String[] {"secret-patient-data", "{\"id\": secret-patient-data}",
                    "{\"instances\": [secret-patient-data]}", "{\"inputs\": {\"a\": secret-patient-data}}",
                    "{\"instances\": [{\"a\": \"secret-patient-data\"}"}) {
                Response response = mapper.toResponse(parseFailure(bad));

                assertThat(response.getStatus()).isEqualTo(400);
                assertThat(wire(response).toString()).as("answer to %s", bad)
                        .doesNotContain("secret").doesNotContain("patient");
            }
        }

        @Test
        void anUnrecognisedFieldIsAnInvalidBodyWithItsPointer() {
            Response response = mapper.toResponse(parseFailure(STRICT, "{\"instances\": [], \"instancez\": []}"));

            assertThat(response.getStatus()).isEqualTo(400);
            ErrorBody body = body(response);
            assertThat(body.error().code()).isEqualTo("invalid_body");
            assertThat(body.error().message())
                    .isEqualTo("The body has an unknown field (at /instancez), which this endpoint does not take.");
            assertThat(body.requestId()).isEqualTo(REQUEST_ID);
        }

        @Test
        void anUnrecognisedNestedFieldIsPointedAt() {
            Response response = mapper.toResponse(
                    parseFailure(STRICT, "{\"options\": {\"explain\": true, \"verbose\": 1}}"));

            assertThat(body(response).error().message())
                    .isEqualTo("The body has an unknown field (at /options/verbose), which this endpoint does not take.");
        }

        @Test
        void anUnrecognisedFieldWhoseNameIsLongOrNotPrintableIsNotQuotedAtAll() throws Exception {
            String[] names = {"x".repeat(100), "<script>\\u0000", "caf\\u00e9", "tab\\there", "secret-patient-data-".repeat(4)};
            for (String name : names) {
                Response response = mapper.toResponse(parseFailure(STRICT, "{\"" + name + "\": 1}"));

                assertThat(body(response).error().message()).as(name)
                        .isEqualTo("The body has an unknown field, which this endpoint does not take.");
                assertThat(wire(response).toString()).as(name)
                        .doesNotContain("xxxxxxxxxx").doesNotContain("script").doesNotContain("caf")
                        .doesNotContain("tab").doesNotContain("secret");
            }
        }

        @Test
        void aPointerEscapesSlashAndTilde() {
            Response response = mapper.toResponse(parseFailure(STRICT, "{\"a/b~c\": 1}"));

            assertThat(body(response).error().message())
                    .isEqualTo("The body has an unknown field (at /a~1b~0c), which this endpoint does not take.");
        }

        @Test
        void aMismatchedValueIsAnInvalidBodyWithItsPointer() {
            Response response = mapper.toResponse(parseFailure("{\"instances\": [5]}"));

            assertThat(response.getStatus()).isEqualTo(400);
            ErrorBody body = body(response);
            assertThat(body.error().code()).isEqualTo("invalid_body");
            assertThat(body.error().message())
                    .isEqualTo("A field (at /instances/0) has the wrong shape for this endpoint.");
        }

        @Test
        void aMismatchedTopLevelFieldIsPointedAt() {
            Response response = mapper.toResponse(parseFailure("{\"instances\": {\"a\": 1}}"));

            assertThat(body(response).error().message())
                    .isEqualTo("A field (at /instances) has the wrong shape for this endpoint.");
        }

        @Test
        void anAnswerJacksonCannotWriteIsTheServersFaultA500ThatIsLogged() throws Exception {
            JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                    () -> JSON.writeValueAsBytes(Map.of("outputs", new Object())));

            try (LogCapture logs = LogCapture.start()) {
                Response response = mapper.toResponse(e);

                assertThat(response.getStatus()).isEqualTo(500);
                assertThat(body(response).error().code()).isEqualTo("internal_error");
                assertThat(wire(response).toString()).doesNotContain("Object").doesNotContain("serializer");
                assertThat(logs.of(UnexpectedExceptionMapper.class)).singleElement().satisfies(line -> {
                    assertThat(line.level()).isEqualTo(Level.ERROR);
                    assertThat(line.message()).contains(REQUEST_ID);
                    assertThat(line.hasStackTrace()).isTrue();
                });
            }
        }

        @Test
        void aBodyOfTheWrongShapeAtTheTopHasNoPath() {
            Response response = mapper.toResponse(parseFailure("[1, 2]"));

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).error().code()).isEqualTo("invalid_body");
            assertThat(body(response).error().message()).isEqualTo("The body has the wrong shape for this endpoint.");
        }
    }

    @Nested
    class WebApplicationExceptions {
        private final WebApplicationExceptionMapper mapper = new WebApplicationExceptionMapper();

        @Test
        void notFoundIsA404InTheErrorShape() throws Exception {
            Response response = mapper.toResponse(new NotFoundException());

            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            ErrorBody body = body(response);
            assertThat(body.error().code()).isEqualTo("not_found");
            assertThat(body.error().message()).contains("/v1");
            assertThat(body.requestId()).isEqualTo(REQUEST_ID);
            assertThat(wire(response).path("request_id").asText()).isEqualTo(REQUEST_ID);
        }

        @Test
        void methodNotAllowedKeepsTheAllowHeader() {
            Response response = mapper.toResponse(new NotAllowedException("GET", new String[] {"HEAD"}));

            assertThat(response.getStatus()).isEqualTo(405);
            assertThat(body(response).error().code()).isEqualTo("method_not_allowed");
            assertThat(response.getHeaderString(HttpHeaders.ALLOW)).contains("GET").contains("HEAD");
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        }

        @Test
        void unsupportedMediaTypeIsA415() {
            Response response = mapper.toResponse(new NotSupportedException());

            assertThat(response.getStatus()).isEqualTo(415);
            assertThat(body(response).error().code()).isEqualTo("unsupported_media_type");
            assertThat(body(response).error().message()).contains("application/json");
        }

        @Test
        void otherStatusesGetAGenericCodeAndTheirReasonPhrase() {
            Response gone = mapper.toResponse(new WebApplicationException(410));
            assertThat(gone.getStatus()).isEqualTo(410);
            assertThat(body(gone).error().code()).isEqualTo("request_failed");
            assertThat(body(gone).error().message()).isEqualTo("Gone.");

            Response unavailable = mapper.toResponse(new WebApplicationException(503));
            assertThat(unavailable.getStatus()).isEqualTo(503);
            assertThat(body(unavailable).error().code()).isEqualTo("internal_error");
        }

        @Test
        void aResponseThatAlreadyHasAnEntityIsPassedThroughUnchanged() {
            Response original = Response.status(409).type(MediaType.TEXT_PLAIN_TYPE).entity("already shaped")
                    .header("X-Custom", "kept").build();

            Response response = mapper.toResponse(new WebApplicationException(original));

            assertThat(response).isSameAs(original);
            assertThat(response.getEntity()).isEqualTo("already shaped");
        }
    }

    @Nested
    class UnexpectedExceptions {
        @Test
        void aRequestThatCouldNotBeReadIsA400LoggedOnlyAtDebug() {
            try (LogCapture logs = LogCapture.start()) {
                Response response = new UnexpectedExceptionMapper().toResponse(new ProcessingException(
                        new UnreadableRequestException(new EOFException("Early EOF"))));

                assertThat(response.getStatus()).isEqualTo(400);
                assertThat(body(response).error().code()).isEqualTo("bad_request");
                assertThat(logs.of(UnexpectedExceptionMapper.class)).allSatisfy(line ->
                        assertThat(line.level()).isEqualTo(Level.DEBUG));
            }
        }

        @Test
        void aClientThatStoppedSendingItsBodyUntilTheIdleTimeoutGetsA408() {
            Response response = new UnexpectedExceptionMapper().toResponse(new UnreadableRequestException(
                    new IOException(new TimeoutException("Idle timeout expired: 30000/30000 ms"))));

            assertThat(response.getStatus()).isEqualTo(408);
            assertThat(body(response).error().code()).isEqualTo("request_timeout");
        }

        @Test
        void anyOtherIOExceptionIsTheServersFaultA500ThatIsLogged() {
            try (LogCapture logs = LogCapture.start()) {
                Response response = new UnexpectedExceptionMapper()
                        .toResponse(new IllegalStateException(new IOException("No space left on device")));

                assertThat(response.getStatus()).isEqualTo(500);
                assertThat(body(response).error().code()).isEqualTo("internal_error");
                assertThat(logs.of(UnexpectedExceptionMapper.class)).singleElement().satisfies(line -> {
                    assertThat(line.level()).isEqualTo(Level.ERROR);
                    assertThat(line.message()).contains(REQUEST_ID);
                });
            }
        }

        @Test
        void anyOtherFailureIsA500ThatRevealsNothingOfTheCause() throws Exception {
            Response response = new UnexpectedExceptionMapper()
                    .toResponse(new IllegalStateException("password=hunter2 in connection string"));

            assertThat(response.getStatus()).isEqualTo(500);
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            ErrorBody body = body(response);
            assertThat(body.error().code()).isEqualTo("internal_error");
            assertThat(body.error().details()).isEmpty();
            assertThat(body.requestId()).isEqualTo(REQUEST_ID);
            String wire = wire(response).toString();
            assertThat(wire).doesNotContain("hunter2").doesNotContain("IllegalStateException");
        }
    }

    @Nested
    class ApiExceptions {
        @Test
        void answersWithTheStatusCodeMessageAndDetails() throws Exception {
            Map<String, Object> detail = Map.of("field", "x1", "problem", "missing");
            Response response = new ApiExceptionMapper()
                    .toResponse(new ApiException(422, "invalid_inputs", "1 input does not fit", List.of(detail)));

            assertThat(response.getStatus()).isEqualTo(422);
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            JsonNode wire = wire(response);
            assertThat(wire.path("error").path("code").asText()).isEqualTo("invalid_inputs");
            assertThat(wire.path("error").path("message").asText()).isEqualTo("1 input does not fit");
            assertThat(wire.path("error").path("details")).hasSize(1);
            assertThat(wire.path("error").path("details").get(0).path("field").asText()).isEqualTo("x1");
            assertThat(wire.path("request_id").asText()).isEqualTo(REQUEST_ID);
        }

        @Test
        void alwaysHasADetailsArrayEvenWhenEmpty() throws Exception {
            Response response = new ApiExceptionMapper().toResponse(ApiException.notFound("No model named 'x'."));

            assertThat(response.getStatus()).isEqualTo(404);
            JsonNode wire = wire(response);
            assertThat(wire.path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(wire.path("error").path("details").isArray()).isTrue();
            assertThat(wire.path("error").path("details")).isEmpty();
        }

        @Test
        void badRequestIsA400() {
            Response response = new ApiExceptionMapper().toResponse(ApiException.badRequest("too_many", "Too many."));

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).error().code()).isEqualTo("too_many");
        }

        @Test
        void hasANullRequestIdOutsideARequest() {
            MDC.remove(RequestIds.MDC_KEY);

            Response response = new ApiExceptionMapper().toResponse(ApiException.notFound("gone"));

            assertThat(body(response).requestId()).isNull();
        }
    }

    @Nested
    class ChoosingRequestIds {
        @Test
        void keepsAPlainIdFromTheClient() {
            assertThat(RequestIds.choose("abc-123")).isEqualTo("abc-123");
            assertThat(RequestIds.choose("A.b_c:9-0")).isEqualTo("A.b_c:9-0");
        }

        @Test
        void keepsAnIdOf128Characters() {
            String longest = "a".repeat(128);

            assertThat(RequestIds.choose(longest)).isEqualTo(longest);
        }

        @Test
        void replacesAnythingElseWithAUuid() {
            for (String bad : new String[] {null, "", "   ", "a".repeat(129), "abc 123", "abc\n123", "abc\n",
                    "caf\u00e9", "\u0661\u0662\u0663", "a\"b", "<script>"}) {
                String chosen = RequestIds.choose(bad);
                assertThat(chosen).as("id chosen for %s", bad).isNotEqualTo(bad);
                assertThat(UUID.fromString(chosen).toString()).isEqualTo(chosen);
                assertThat(UUID.fromString(chosen).version()).as("a random UUID").isEqualTo(4);
                assertThat(UUID.fromString(chosen).variant()).as("the IETF variant").isEqualTo(2);
            }
        }

        @Test
        void makesADifferentUuidEachTime() {
            assertThat(RequestIds.choose("")).isNotEqualTo(RequestIds.choose(""));
        }

        @Test
        void currentReadsTheMdc() {
            assertThat(RequestIds.current()).isEqualTo(REQUEST_ID);
        }
    }
}
