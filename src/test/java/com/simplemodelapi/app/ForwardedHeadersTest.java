package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Behind a proxy, with {@code USE_FORWARDED_HEADERS=true}: the audit records the client's address, not the proxy's. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ForwardedHeadersTest {
    private static final String DB = TestPostgres.newDatabase();
    private static final Path AUDIT = Path.of("target/audit/forwarded-headers-" + UUID.randomUUID() + ".log");
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DB, AUDIT,
            ConfigOverride.config("server.applicationConnectors[0].useForwardedHeaders", "true"));

    @Test
    void theAuditRecordsTheAddressTheProxyForwarded() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + APP.getLocalPort() + "/v1/me"))
                .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();

        JsonNode line = AuditLines.awaitRequestId(AUDIT, requestId, 1).get(0);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(line.get("remote_addr").asText()).isEqualTo("203.0.113.7");
    }
}
