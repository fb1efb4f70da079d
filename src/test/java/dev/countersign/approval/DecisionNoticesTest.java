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
    void aRequestStillOpenLeavesNothingToSay() {
        Opening.Ready open = harness.openAndSend(ALICE, payment("250", "Acme Corp"));

        assertThat(notices(open.request().id())).isEmpty();
    }

    @Test
    void aRequestEndedByItsOwnFailedSendStillLeavesItsScreensAndWordToTheRequester() {
        // The window sending the code says why itself, then marks these seen; if the process
        // dies first, they are what puts the window and the requester right after the restart.
        harness.signalWire.failNextStart(422);
        Opening.Ready failing = (Opening.Ready) harness.open(ALICE, payment("251", "Acme Corp"));

        harness.send(failing.challenge());

        assertThat(harness.status(failing.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(notices(failing.request().id())).contains(Notice.SCREENS, Notice.REQUESTER);
    }

    @Test
    void aRequestWhoseModalNeverOpenedLeavesWordToTheRequester() {
        Opening.Ready unopened = (Opening.Ready) harness.open(ALICE, payment("252", "Acme Corp"));

        harness.approvals().delivery().abandon(unopened.challenge().id(), "modal not opened");

        assertThat(harness.status(unopened.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(notices(unopened.request().id())).contains(Notice.REQUESTER);
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
