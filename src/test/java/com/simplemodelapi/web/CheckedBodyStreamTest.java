package com.simplemodelapi.web;

import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CheckedBodyStreamTest {
    private static final int LIMIT = 100;

    @Test
    void aBodyWithinTheLimitPassesThrough() throws Exception {
        byte[] body = "{\"x\": \"é\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(new CheckedBodyStream(new ByteArrayInputStream(body), LIMIT, 0).readAllBytes()).isEqualTo(body);
    }

    @Test
    void aBodyALittleOverTheLimitIsReadToItsEndAndRefusedOnAConnectionThatStaysOpen() {
        ByteArrayInputStream wire = new ByteArrayInputStream(spaces(LIMIT + 50_000));
        WebApplicationException refused = catchThrowableOfType(WebApplicationException.class,
                () -> new CheckedBodyStream(wire, LIMIT, 0).readAllBytes());
        assertThat(refused.getResponse().getStatus()).isEqualTo(413);
        assertThat(refused.getResponse().getHeaderString("Connection")).isNull();
        assertThat(wire.available()).isZero();
    }

    @Test
    void aBodyFarOverTheLimitIsRefusedWithConnectionCloseAndNotReadToItsEnd() {
        ByteArrayInputStream wire = new ByteArrayInputStream(spaces(LIMIT + 3 * (int) CheckedBodyStream.DISCARD_LIMIT));
        WebApplicationException refused = catchThrowableOfType(WebApplicationException.class,
                () -> new CheckedBodyStream(wire, LIMIT, 0).readAllBytes());
        assertThat(refused.getResponse().getStatus()).isEqualTo(413);
        assertThat(refused.getResponse().getHeaderString("Connection")).isEqualTo("close");
        assertThat(wire.available()).isGreaterThan((int) CheckedBodyStream.DISCARD_LIMIT);
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedAt400() {
        InputStream wire = new ByteArrayInputStream(new byte[]{'{', (byte) 0xC0, (byte) 0xAF, '}'});
        WebApplicationException refused = catchThrowableOfType(WebApplicationException.class,
                () -> new CheckedBodyStream(wire, LIMIT, 0).readAllBytes());
        assertThat(refused.getResponse().getStatus()).isEqualTo(400);
    }

    private static byte[] spaces(int n) {
        return " ".repeat(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
