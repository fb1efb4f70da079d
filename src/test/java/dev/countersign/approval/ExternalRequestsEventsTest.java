package dev.countersign.approval;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.ExternalRequests.Asked;
import dev.countersign.approval.ExternalRequests.IdempotencyKey;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests asked for by other systems (the REST API, a Workflow step) are counted like those
 * typed in Slack: {@code countersign_requests_opened_total} and the refusals are read from these
 * events, and an operator watching them must not miss the API's share.
 */
class ExternalRequestsEventsTest {

    private static final RequestOrigin API = new RequestOrigin(RequestOrigin.Source.API, "erp",
            "INV-1042", null);

    @TempDir
    Path directory;
    private ApprovalsHarness harness;
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private ExternalRequests external;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory);
        ApprovalEvents events = new ApprovalEvents() {
            @Override
            public void opened(ApprovalRequest request) {
                heard.add("opened " + request.reference());
            }

            @Override
            public void refused(RequestOpening.Reason reason) {
                heard.add("refused " + reason);
            }
        };
        external = ApprovalServices.create(harness.store(), harness.signalWire.codes(),
                harness.approvals().policy(), harness.clock, ApproverDirectory.NOBODY,
                ApprovalOutbox.NONE, harness.binding(), events).external();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anApiRequestIsCountedOnceWhenOpenedAndARefusalByItsReason() {
        harness.enroll(ALICE, ALICE_PHONE);
        Optional<IdempotencyKey> key = Optional.of(new IdempotencyKey("k-1", "body-hash"));

        Asked created = external.ask(ALICE, payment("2500", "Acme Corp"), API,
                Duration.ofHours(1), key);
        Asked repeated = external.ask(ALICE, payment("2500", "Acme Corp"), API,
                Duration.ofHours(1), key);
        Asked refused = external.ask(BOB, payment("10", "Initech"), API, Duration.ofHours(1),
                Optional.empty());

        assertThat(created).isInstanceOf(Asked.Created.class);
        assertThat(repeated).as("the same key and body: counted when first asked")
                .isInstanceOf(Asked.Repeated.class);
        assertThat(refused).isInstanceOf(Asked.Refused.class);
        assertThat(heard).containsExactly(
                "opened " + ((Asked.Created) created).request().reference(),
                "refused NOT_ENROLLED");
    }
}
