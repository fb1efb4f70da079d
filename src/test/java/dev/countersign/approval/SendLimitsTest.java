package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.CAROL;
import static dev.countersign.testing.ApprovalsHarness.CAROL_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.RequestOpening.Reason;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.DeliveryChannel;
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

/** Caps on codes sent (SMS pumping costs money), counted in SQLite so they survive restarts. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class SendLimitsTest {

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine)
                .policy(policy -> policy.maxCodesPerUserPerHour(3).maxCodesPerTeamPerDay(5));
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
        harness.enroll(CAROL, CAROL_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private Opening openFor(Actor who) {
        Opening opening = harness.open(who, payment("10", "Acme Corp"));
        if (opening instanceof Opening.Ready ready) {
            harness.send(ready.challenge());
        }
        return opening;
    }

    @Test
    void personOverTheHourlyLimitIsToldWhenToTryAgainAndNothingIsSent() {
        for (int i = 0; i < 3; i++) {
            assertThat(openFor(ALICE)).isInstanceOf(Opening.Ready.class);
            harness.clock.advance(Duration.ofMinutes(1));
        }

        Opening fourth = openFor(ALICE);

        // The first code (09:00) leaves the hour at 10:00; it is 09:03 now.
        assertThat(fourth).isInstanceOfSatisfying(Opening.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(refused.message()).contains("3 codes in the last hour",
                    "Try again after 10:00 UTC", "in 57 minutes");
        });
        assertThat(harness.signalWire.starts()).hasSize(3);
        assertThat(openFor(BOB)).isInstanceOf(Opening.Ready.class);
    }

    @Test
    void hourlyLimitFreesUpAsTheOldestCodeLeavesTheHour() {
        for (int i = 0; i < 3; i++) {
            openFor(ALICE);
            harness.clock.advance(Duration.ofMinutes(10));
        }
        assertThat(openFor(ALICE)).isInstanceOf(Opening.Refused.class);

        harness.clock.set(ApprovalsHarness.START.plus(Duration.ofHours(1)));

        assertThat(openFor(ALICE)).isInstanceOf(Opening.Ready.class);
        assertThat(openFor(ALICE)).isInstanceOf(Opening.Refused.class);
    }

    @Test
    void hourlyLimitHoldsAcrossARestart() {
        for (int i = 0; i < 3; i++) {
            openFor(ALICE);
        }

        harness.restart();

        assertThat(openFor(ALICE)).isInstanceOfSatisfying(Opening.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED));
        assertThat(harness.signalWire.starts()).hasSize(3);
    }

    @Test
    void workspaceOverItsDailyLimitIsRefusedWithWhenToRetry() {
        openFor(ALICE);
        openFor(ALICE);
        harness.clock.advance(Duration.ofHours(2));
        openFor(BOB);
        openFor(BOB);
        openFor(CAROL);

        harness.restart();
        Opening sixth = openFor(CAROL);

        // The first of the five went out at 09:00 today; it is 11:00, so: 09:00 tomorrow.
        assertThat(sixth).isInstanceOfSatisfying(Opening.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(refused.message()).contains("limit of 5 codes a day",
                    "Try again after 09:00 UTC", "in 1320 minutes", "MAX_CODES_PER_TEAM_PER_DAY");
        });
        assertThat(harness.signalWire.starts()).hasSize(5);

        harness.clock.set(ApprovalsHarness.START.plus(Duration.ofDays(1)));
        assertThat(openFor(CAROL)).isInstanceOf(Opening.Ready.class);
    }

    @Test
    void anotherWorkspaceHasItsOwnDailyLimit() {
        for (int i = 0; i < 5; i++) {
            openFor(i % 2 == 0 ? ALICE : BOB);
            harness.clock.advance(Duration.ofMinutes(30));
        }
        Actor elsewhere = new Actor("T0002", "UDAVE");
        harness.enroll(elsewhere, "+12015550155");

        assertThat(openFor(elsewhere)).isInstanceOf(Opening.Ready.class);
    }

    @Test
    void resendsCountAgainstTheHourlyLimit() {
        Opening.Ready opened = (Opening.Ready) openFor(ALICE);
        String id = opened.request().id();
        harness.clock.advance(Duration.ofSeconds(30));
        assertThat(harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.SMS))
                .isInstanceOf(Delivery.Sent.class);
        harness.clock.advance(Duration.ofSeconds(30));
        assertThat(harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.CALL))
                .isInstanceOf(Delivery.Sent.class);
        harness.clock.advance(Duration.ofSeconds(30));

        Delivery fourth = harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.SMS);

        assertThat(fourth).isInstanceOfSatisfying(Delivery.Refused.class,
                refused -> assertThat(refused.message()).contains("Try again after 10:00 UTC"));
        assertThat(harness.signalWire.starts()).hasSize(3);
    }

    @Test
    void enrollmentCodesCountAgainstTheHourlyLimitToo() {
        Actor newcomer = new Actor(ApprovalsHarness.TEAM, "UNEW");
        for (int i = 0; i < 3; i++) {
            Opening.Ready ready = (Opening.Ready) harness.approvals().opening()
                    .requestEnrollment(newcomer,
                    new PhoneNumber("+1201555020" + i), ApprovalsHarness.REPLY);
            harness.send(ready.challenge());
        }

        Opening fourth = harness.approvals().opening().requestEnrollment(newcomer,
                new PhoneNumber("+12015550209"), ApprovalsHarness.REPLY);

        assertThat(fourth).isInstanceOfSatisfying(Opening.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED));
        assertThat(harness.signalWire.starts()).hasSize(3);
    }

    @Test
    void codesWhoseModalNeverOpenedDoNotCount() {
        for (int i = 0; i < 3; i++) {
            Opening.Ready ready = (Opening.Ready) harness.open(ALICE, payment("10", "Acme Corp"));
            harness.approvals().delivery().abandon(ready.challenge().id(), "expired_trigger_id");
        }

        assertThat(openFor(ALICE)).isInstanceOf(Opening.Ready.class);
    }
}
