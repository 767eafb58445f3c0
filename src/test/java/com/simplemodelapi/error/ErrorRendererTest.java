package com.simplemodelapi.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.common.DomainException;
import com.simplemodelapi.common.SetupException;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorRendererTest {
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private final ErrorRenderer renderer = new ErrorRenderer(JSON, Map.of("/v2", ErrorShape.OPEN_INFERENCE));

    @AfterEach
    void unbind() {
        ErrorRenderer.endRequest();
        MDC.remove(RequestIds.MDC_KEY);
    }

    @Test
    void thePathChoosesTheShape() {
        assertThat(renderer.shapeFor("/v1/models/x/predict")).isEqualTo(ErrorShape.STANDARD);
        assertThat(renderer.shapeFor("/v2/models/x/infer")).isEqualTo(ErrorShape.OPEN_INFERENCE);
        assertThat(renderer.shapeFor("/v2")).isEqualTo(ErrorShape.OPEN_INFERENCE);
        assertThat(renderer.shapeFor("/v20/x")).isEqualTo(ErrorShape.STANDARD);
        assertThat(renderer.shapeFor(null)).isEqualTo(ErrorShape.STANDARD);
    }

    @Test
    void bytesAreInTheShapeOfTheirPath() throws IOException {
        JsonNode standard = JSON.readTree(renderer.bytes("/v1/me", "audit_unavailable", "Try later.", "req-1"));
        assertThat(standard.get("error").get("code").asText()).isEqualTo("audit_unavailable");
        assertThat(standard.get("error").get("message").asText()).isEqualTo("Try later.");
        assertThat(standard.get("error").get("details").isArray()).isTrue();
        assertThat(standard.get("request_id").asText()).isEqualTo("req-1");

        JsonNode openInference = JSON.readTree(renderer.bytes("/v2/models/x/infer", "audit_unavailable",
                "Try later.", "req-1"));
        assertThat(openInference).isEqualTo(JSON.readTree("{\"error\": \"Try later.\"}"));
    }

    @Test
    void aJerseyResponseTakesTheShapeOfTheRequestTheThreadServes() throws IOException {
        MDC.put(RequestIds.MDC_KEY, "req-2");
        Response unbound = ErrorRenderer.response(404, "not_found", "Nothing here.");
        assertThat(unbound.getEntity()).isInstanceOf(ErrorBody.class);
        assertThat(((ErrorBody) unbound.getEntity()).requestId()).isEqualTo("req-2");

        renderer.beginRequest("/v2/models/x/infer");
        Response bound = ErrorRenderer.response(400, "invalid_body", "Bad tensor.",
                List.of(Map.of("field", "x")));
        assertThat(bound.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(JSON.writeValueAsBytes(bound.getEntity())))
                .isEqualTo(JSON.readTree("{\"error\": \"Bad tensor.\"}"));

        ErrorRenderer.endRequest();
        assertThat(ErrorRenderer.response(400, "invalid_body", "Bad.").getEntity()).isInstanceOf(ErrorBody.class);
    }

    @Test
    void aDomainErrorGetsTheStatusOfItsKind() {
        DomainExceptionMapper mapper = new DomainExceptionMapper();
        assertThat(mapper.toResponse(new SetupException("The database is gone.")).getStatus()).isEqualTo(503);
        Response notFound = mapper.toResponse(new DomainException(DomainException.Kind.NOT_FOUND, "No user 'x'.") { });
        assertThat(notFound.getStatus()).isEqualTo(404);
        ErrorBody body = (ErrorBody) notFound.getEntity();
        assertThat(body.error().code()).isEqualTo("not_found");
        assertThat(body.error().message()).isEqualTo("No user 'x'.");
        assertThat(mapper.toResponse(new DomainException(DomainException.Kind.INVALID, "Bad name.") { }).getStatus())
                .isEqualTo(400);
        assertThat(mapper.toResponse(new DomainException(DomainException.Kind.CONFLICT, "Exists.") { }).getStatus())
                .isEqualTo(409);
    }

    @Test
    void noOtherClassMakesAnErrorBody() {
        noClasses().that().doNotHaveSimpleName("ErrorRenderer")
                .should().callConstructor(ErrorBody.class, ErrorBody.Error.class, String.class)
                .orShould().callConstructor(OpenInferenceErrorBody.class, String.class)
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.simplemodelapi"));
    }
}
