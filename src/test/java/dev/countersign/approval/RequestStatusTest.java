package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of moves: what the README's state diagram promises, and nothing more. */
class RequestStatusTest {

    @Test
    void theTableIsTheReadmesDiagram() {
        assertThat(RequestStatus.AWAITING_CODE.next()).containsExactlyInAnyOrder(
                RequestStatus.AWAITING_SECOND_APPROVER, RequestStatus.APPROVED,
                RequestStatus.LOCKED, RequestStatus.EXPIRED, RequestStatus.CANCELLED,
                RequestStatus.FAILED);
        assertThat(RequestStatus.AWAITING_SECOND_APPROVER.next()).containsExactlyInAnyOrder(
                RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.LOCKED,
                RequestStatus.EXPIRED, RequestStatus.CANCELLED, RequestStatus.FAILED);
    }

    @Test
    void terminalStatusesGoNowhereAndOnlyOpenOnesMove() {
        for (RequestStatus status : RequestStatus.values()) {
            assertThat(status.next().isEmpty()).as(status.name()).isEqualTo(!status.isOpen());
        }
    }

    @Test
    void nothingMovesBackToWaitingForTheRequestersCode() {
        assertThat(RequestStatus.sourcesOf(RequestStatus.AWAITING_CODE)).isEmpty();
        assertThat(RequestStatus.sourcesOf(RequestStatus.REJECTED))
                .containsExactly(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void aMoveTheTableForbidsCannotEvenBeDescribed() {
        assertThatThrownBy(() -> new RequestTransitions.Move(Set.of(RequestStatus.APPROVED),
                RequestStatus.CANCELLED, "U1", "late", "request.cancelled", Map.of(), null,
                List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("APPROVED may not move to CANCELLED");
        assertThatThrownBy(() -> new RequestTransitions.Move(EnumSet.of(
                RequestStatus.AWAITING_CODE), RequestStatus.REJECTED, "U1", "no",
                "request.rejected", Map.of(), null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
