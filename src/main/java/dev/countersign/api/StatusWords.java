package dev.countersign.api;

import dev.countersign.approval.RequestStatus;

/** The words the API and the Workflow Builder step use for a request's status. */
public final class StatusWords {

    private StatusWords() {
    }

    public static String of(RequestStatus status) {
        return switch (status) {
            case AWAITING_CODE -> "pending";
            case AWAITING_SECOND_APPROVER -> "awaiting_second_approver";
            case APPROVED -> "approved";
            case REJECTED -> "rejected";
            case EXPIRED -> "expired";
            case CANCELLED -> "cancelled";
            case LOCKED -> "locked";
            case FAILED -> "failed";
        };
    }
}
