package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReportsTest {

    private static final Action PAYMENT = new Action.Payment(new Money(new java.math.BigDecimal("2500"), CurrencyCode.of("USD").orElseThrow()),
            "Acme Corp", "INV-1042");

    @Test
    void currentFindsTheRequestWithTheCodeItNowAwaits(@TempDir Path directory) {
        try (ApprovalFixture fixture = new ApprovalFixture(directory,
                new MutableClock(Instant.parse("2025-06-02T09:00:00Z")), ApprovalOutbox.NONE)) {
            fixture.enroll(ApprovalFixture.ALICE, ApprovalFixture.ALICE_PHONE);
            RequestOpening.Opening.Ready opened = fixture.open(ApprovalFixture.ALICE, PAYMENT);

            assertThat(fixture.approvals().statusReports().current(opened.request().id()))
                    .hasValueSatisfying(found -> {
                        assertThat(found.request().action()).isEqualTo(PAYMENT);
                        assertThat(found.challenge()).map(CodeChallenge::id)
                                .contains(opened.challenge().id());
                    });
            assertThat(fixture.approvals().statusReports().current("no-such-request")).isEmpty();
        }
    }
}
