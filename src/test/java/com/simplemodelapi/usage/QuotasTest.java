package com.simplemodelapi.usage;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.testing.SettableClock;
import com.simplemodelapi.usage.service.Admission;
import com.simplemodelapi.usage.service.Quotas;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits' arithmetic on a clock the test moves: buckets, shares of replicas, quotas and their reset times. */
class QuotasTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T23:59:00Z"));
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @AfterEach
    void forget() {
        Quotas.takeAdmission();
    }

    private Quotas quotas(int replicas, Caller... callers) {
        return new Quotas(replicas, clock, nanos::get, () -> List.of(callers));
    }

    private static Caller limited(String name, Limits limits) {
        return new Caller(name, Set.of("m"), limits);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
        clock.advance(by);
    }

    /** The 429 admit throws, or null when it let the request through. */
    private static Response refusal(Quotas quotas, Caller caller, int instances) {
        try {
            quotas.admit(caller, instances);
            return null;
        } catch (WebApplicationException e) {
            return e.getResponse();
        }
    }

    @Test
    void aCallerWithoutLimitsIsNeverRefusedAndLeavesNoAdmission() {
        Quotas quotas = quotas(1);
        for (int i = 0; i < 10_000; i++) {
            quotas.admit(new Caller("free", Set.of("m")), 1000);
        }
        assertThat(Quotas.takeAdmission()).isNull();
    }

    @Test
    void aBucketLetsItsBurstThroughThenOneRequestPerRefillAndRetryAfterIsExact() {
        Caller caller = limited("b", new Limits(2.0, 4, null, null));
        Quotas quotas = quotas(1, caller);
        for (int i = 0; i < 4; i++) {
            assertThat(refusal(quotas, caller, 1)).as("request " + i).isNull();
        }
        Response refused = refusal(quotas, caller, 1);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeaderString("Retry-After")).isEqualTo("1");
        Admission told = Quotas.takeAdmission();
        assertThat(told.refusal()).isEqualTo("rate_limited");
        assertThat(told.policyHeader()).isEqualTo("\"rate\";q=4;w=2");
        assertThat(told.rateLimitHeader()).isEqualTo("\"rate\";r=0;t=2");

        advance(Duration.ofMillis(499));
        assertThat(refusal(quotas, caller, 1)).as("a token is not whole yet").isNotNull();
        advance(Duration.ofMillis(1));
        assertThat(refusal(quotas, caller, 1)).as("half a second at 2/s is a token").isNull();
        assertThat(refusal(quotas, caller, 1)).isNotNull();
        advance(Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            assertThat(refusal(quotas, caller, 1)).as("the bucket holds its burst, no more").isNull();
        }
        assertThat(refusal(quotas, caller, 1)).isNotNull();
    }

    @Test
    void withThreeReplicasEachEnforcesAThirdOfTheRateAndTheBurst() {
        Caller caller = limited("r", new Limits(30.0, 9, null, null));
        Quotas quotas = quotas(3, caller);
        for (int i = 0; i < 3; i++) {
            assertThat(refusal(quotas, caller, 1)).isNull();
        }
        assertThat(refusal(quotas, caller, 1)).isNotNull();
        assertThat(Quotas.takeAdmission().policyHeader()).isEqualTo("\"rate\";q=3;w=1");
        advance(Duration.ofMillis(100));
        assertThat(refusal(quotas, caller, 1)).as("10/s here: a token per 100 ms").isNull();
    }

    @Test
    void aDailyQuotaRefusesTheRequestThatWouldPassItAndResetsAtMidnightUtc() {
        Caller caller = limited("d", new Limits(null, null, 10L, 25L));
        Quotas quotas = quotas(1, caller);
        assertThat(refusal(quotas, caller, 6)).isNull();
        Response refused = refusal(quotas, caller, 5);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeaderString("Retry-After")).as("seconds to midnight UTC").isEqualTo("60");
        Admission told = Quotas.takeAdmission();
        assertThat(told.refusal()).isEqualTo("quota_exceeded");
        assertThat(told.rateLimitHeader()).isEqualTo("\"daily\";r=4;t=60, \"monthly\";r=19;t=60");
        assertThat(refusal(quotas, caller, 4)).as("exactly the quota").isNull();
        assertThat(refusal(quotas, caller, 1)).isNotNull();

        // Midnight, and the first of December: both reset. (What was let through before is forgotten at the next read
        // of the totals; until then it still counts, erring on the side of the quota.)
        advance(Duration.ofMinutes(1));
        assertThat(refusal(quotas, caller, 10)).isNotNull();
        assertThat(Quotas.takeAdmission().message()).contains("daily quota of 10");
    }

    @Test
    void newLimitsTakeEffectOnTheNextRequestAndKeepWhatWasCounted() {
        Quotas quotas = quotas(1);
        Caller before = limited("c", new Limits(null, null, 10L, null));
        assertThat(refusal(quotas, before, 8)).isNull();
        Caller raised = limited("c", new Limits(1.0, 1, 20L, null));
        assertThat(refusal(quotas, raised, 8)).isNull();
        Response refused = refusal(quotas, raised, 1);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(Quotas.takeAdmission().refusal()).as("the new rate").isEqualTo("rate_limited");
        advance(Duration.ofSeconds(1));
        assertThat(refusal(quotas, raised, 5)).as("8 + 8 + 5 > 20").isNotNull();
    }
}
