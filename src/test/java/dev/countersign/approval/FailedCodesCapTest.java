package dev.countersign.approval;

import static dev.countersign.testing.ApprovalsHarness.ADMIN;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.RequestOpening.Reason;
import dev.countersign.people.Actor;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.api.io.TempDir;

/**
 * MAX_FAILED_CODES_PER_USER_PER_DAY: each new request or resend brings fresh attempts, so the cap
 * counts a person's wrong codes across all of them (NIST SP 800-63B 5.2.2).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class FailedCodesCapTest {

    private static final String WRONG = "000000";

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;
    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine)
                .policy(policy -> policy.maxFailedCodesPerDay(4));
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void wrongCodesAcrossRequestsReachTheCapAndThenNothingCanBeStarted() {
        String first = opened(ALICE);
        type(first, ALICE, WRONG);
        type(first, ALICE, WRONG);
        Check third = type(first, ALICE, WRONG);
        assertThat(third).isInstanceOfSatisfying(Check.Locked.class,
                locked -> assertThat(locked.blocked()).isEmpty());
        String second = opened(ALICE);

        Check fourth = type(second, ALICE, WRONG);

        assertThat(fourth).isInstanceOfSatisfying(Check.WrongCode.class, wrong ->
                assertThat(wrong.blocked()).hasValueSatisfying(blocked -> {
                    assertThat(blocked.justNow()).isTrue();
                    assertThat(blocked.person()).isEqualTo(ALICE);
                }));
        int sendsBefore = harness.signalWire.starts().size();
        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOfSatisfying(Opening.Refused.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED);
                    assertThat(refused.message()).contains("4 wrong codes",
                            "no more codes until", "admin");
                });
        assertThat(harness.signalWire.starts()).as("nothing sent").hasSize(sendsBefore);
        assertThat(harness.open(BOB, payment("10", "Acme Corp")))
                .as("someone else is not held up").isInstanceOf(Opening.Ready.class);
    }

    @Test
    void theCapLiftsWhenTheOldestFailureTurnsADayOld() {
        reachTheCap();

        harness.clock.advance(Duration.ofHours(23));
        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOf(Opening.Refused.class);
        harness.clock.advance(Duration.ofHours(1).plusMinutes(1));

        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOf(Opening.Ready.class);
    }

    @Test
    void anAdminResetLiftsTheCapAtOnce() {
        reachTheCap();

        harness.approvals().phones().adminReset(ADMIN, ALICE);
        harness.enroll(ALICE, ALICE_PHONE);

        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOf(Opening.Ready.class);
    }

    private void reachTheCap() {
        for (int i = 0; i < 2; i++) {
            String id = opened(ALICE);
            type(id, ALICE, WRONG);
            type(id, ALICE, WRONG);
        }
    }

    private String opened(Actor who) {
        return harness.openAndSend(who, payment("10", "Acme Corp")).request().id();
    }

    private Check type(String requestId, Actor who, String code) {
        return harness.approvals().verification().verify(requestId, who, code);
    }
}
