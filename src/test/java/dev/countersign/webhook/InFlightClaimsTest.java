package dev.countersign.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.OutboxMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightClaimsTest {

    private static final Instant AT = Instant.parse("2026-11-02T09:30:00Z");
    private static final OutboxMessage FIRST = message(1);
    private static final OutboxMessage SECOND = message(2);

    private final InFlightClaims claims = new InFlightClaims();

    @Test
    void messageUnderWayIsNotClaimedAgainUntilItsClaimIsGivenBack() {
        assertThat(claims.claim(() -> List.of(FIRST))).containsExactly(FIRST);

        assertThat(claims.claim(() -> List.of(FIRST, SECOND))).containsExactly(SECOND);
        claims.release(List.of(FIRST));
        assertThat(claims.claim(() -> List.of(FIRST, SECOND))).containsExactly(FIRST);
    }

    @Test
    void aClaimIsTheMessageIdSoARereadRowIsStillHeld() {
        claims.claim(() -> List.of(FIRST));
        OutboxMessage reread = new OutboxMessage(1, "request-1", "{}", 3, AT, AT.plusSeconds(5), true);

        assertThat(claims.claim(() -> List.of(reread))).isEmpty();
    }

    private static OutboxMessage message(long id) {
        return new OutboxMessage(id, "request-" + id, "{}", 0, AT, AT, true);
    }
}
