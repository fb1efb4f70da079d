package dev.countersign.cli;

import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.people.PhoneNumber;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** {@code requests list}'s table: pure text from requests, columns padded to fit. */
final class RequestTable {

    static final List<String> HEADER = List.of("REFERENCE", "KIND", "STATUS", "REQUESTER", "WHAT",
            "CREATED", "DECIDED");
    private static final int MAX_WHAT = 40;

    private RequestTable() {
    }

    static String of(List<ApprovalRequest> requests) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ApprovalRequest request : requests) {
            rows.add(List.of(request.reference(), request.action().kind(),
                    request.status().name(), requester(request), cut(what(request.action())),
                    time(request.createdAt()), time(request.decidedAt())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                line.append(String.format("%-" + widths[column] + "s", row.get(column)))
                        .append("  ");
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    static String requester(ApprovalRequest request) {
        return request.requester().installationId() + "/" + request.requester().userId();
    }

    /** Amount and currency, the document, the action's text, or the masked phone. */
    static String what(Action action) {
        return switch (action) {
            case Action.Payment payment -> payment.money().plainAmount() + " "
                    + payment.money().currency().code() + " to " + payment.payee();
            case Action.Signature signature -> signature.document();
            case Action.Generic generic -> generic.description();
            case Action.PhoneEnrollment enrollment -> "phone "
                    + PhoneNumber.maskLastFour(enrollment.lastFour());
        };
    }

    /** ISO-8601 in UTC to the second; {@code -} when there is none. */
    static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_WHAT ? oneLine : oneLine.substring(0, MAX_WHAT - 1) + "…";
    }
}
