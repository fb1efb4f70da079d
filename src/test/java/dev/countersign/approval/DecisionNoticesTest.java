package dev.countersign.approval;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a decision leaves to be said is stored with it: each move's notices commit with the move,
 * and a notice is pending until it is marked given.
 */
class DecisionNoticesTest {

    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory);
        harness.enroll(ALICE, ALICE_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anApprovalLeavesItsScreensAndItsResultToBeSaid() {
        String id = harness.openAndSend(ALICE, payment("250", "Acme Corp")).request().id();

        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        assertThat(notices(id)).containsExactly(Notice.SCREENS, Notice.RESULT);
        assertThat(ledger().pendingOf(id)).allSatisfy(due -> {
            assertThat(due.request().status()).isEqualTo(RequestStatus.APPROVED);
            assertThat(due.verified()).hasSize(1);
        });
    }

    @Test
    void anExpiryLeavesItsScreensAndWordToTheRequester() {
        String id = harness.openAndSend(ALICE, payment("250", "Acme Corp")).request().id();
        harness.clock.advance(Duration.ofHours(1));

        harness.approvals().expiry().expireDue();

        assertThat(notices(id)).containsExactly(Notice.SCREENS, Notice.REQUESTER,
                Notice.APPROVERS_OUTCOME);
    }

    @Test
    void aRequestStillOpenOrEndedByItsOwnFailedSendLeavesNothingToSay() {
        Opening.Ready open = harness.openAndSend(ALICE, payment("250", "Acme Corp"));
        assertThat(notices(open.request().id())).isEmpty();
        harness.signalWire.failNextStart(422);
        Opening.Ready failing = (Opening.Ready) harness.open(ALICE, payment("251", "Acme Corp"));

        harness.send(failing.challenge());

        assertThat(harness.status(failing.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(notices(failing.request().id())).isEmpty();
    }

    @Test
    void aNoticeMarkedGivenIsNoLongerPending() {
        String id = harness.openAndSend(ALICE, payment("250", "Acme Corp")).request().id();
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        ledger().done(ledger().pendingOf(id).stream().map(FollowUpLedger.Due::followUp)
                .toList());

        assertThat(ledger().pendingOf(id)).isEmpty();
        assertThat(ledger().requestsDue(10)).doesNotContain(id);
    }

    private FollowUpLedger ledger() {
        return harness.approvals().followUps();
    }

    private List<Notice> notices(String requestId) {
        return ledger().pendingOf(requestId).stream().map(due -> due.followUp().notice())
                .toList();
    }
}
