package dev.countersign.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the app's SQLite file says about a set of flows, read after the app has stopped: each
 * approval flow must be a request in state {@code APPROVED} with exactly one
 * {@code request.approved} audit row; no payment request may exist that no flow made.
 */
record DatabaseCheck(int flowsChecked, int flowsNotApproved, int flowsWithoutRequestId,
                     int requestsWithoutExactlyOneApprovedRow, int strayRequests,
                     int paymentRequests, Map<String, Integer> byStatus, long auditRows) {

    boolean ok() {
        return flowsNotApproved == 0 && flowsWithoutRequestId == 0 && strayRequests == 0
                && requestsWithoutExactlyOneApprovedRow == 0;
    }

    /**
     * "Nothing half-done" for a set of flows (their requests found by the response_url they
     * carry): no request may be left open without both its modal and a code sent, and no
     * person told "busy … nothing was sent or approved" may have had a code sent or an approval.
     * {@code unreadable} says why the rows could not be read (then nothing else counts).
     */
    record HalfDone(int requests, int open, int openWithoutModal, int openWithoutCodeSent,
                    int halfDone, int busyButCodeSent, int busyButApproved,
                    Map<String, Integer> byStatus, String unreadable) {

        boolean ok() {
            return unreadable == null && halfDone == 0 && busyButCodeSent == 0
                    && busyButApproved == 0;
        }
    }

    /** One payment request with what the half-done check needs. */
    private record RequestRow(String id, String status, long flowId, boolean modal,
                              boolean codeSent) {

        boolean open() {
            return "AWAITING_CODE".equals(status) || "AWAITING_SECOND_APPROVER".equals(status);
        }
    }

    /** The rows the checks need, read once. */
    static final class Snapshot {
        private final Map<String, String> status = new HashMap<>();
        private final Map<String, Integer> byStatus = new TreeMap<>();
        private final Map<String, Integer> approvedRows = new HashMap<>();
        private final long auditRows;
        private final int strayRequests;
        private final List<RequestRow> rows = new ArrayList<>();
        private String rowsUnreadable;

        private Snapshot(String url, Collection<Flow> everyFlow) throws SQLException {
            try (Connection db = DriverManager.getConnection(url);
                 Statement statement = db.createStatement()) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT id, status FROM requests WHERE kind = 'payment'")) {
                    while (rows.next()) {
                        status.put(rows.getString(1), rows.getString(2));
                        byStatus.merge(rows.getString(2), 1, Integer::sum);
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT request_id, COUNT(*) FROM "
                        + "audit_events WHERE type = 'request.approved' GROUP BY request_id")) {
                    while (rows.next()) {
                        approvedRows.put(rows.getString(1), rows.getInt(2));
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM audit_events")) {
                    rows.next();
                    auditRows = rows.getLong(1);
                }
                readRequestRows(statement);
            }
            Set<String> made = new HashSet<>();
            everyFlow.forEach(flow -> {
                if (flow.requestId != null) {
                    made.add(flow.requestId);
                }
            });
            int stray = 0;
            for (String id : status.keySet()) {
                if (!made.contains(id)) {
                    stray++;
                }
            }
            this.strayRequests = stray;
        }

        /** Payment requests with their modal and code, for {@link #halfDone}. */
        private void readRequestRows(Statement statement) {
            try (ResultSet found = statement.executeQuery("SELECT r.id, r.status, r.response_url,"
                    + " EXISTS (SELECT 1 FROM slack_modals m WHERE m.request_id = r.id),"
                    + " EXISTS (SELECT 1 FROM challenges c WHERE c.request_id = r.id"
                    + "   AND (c.provider_id IS NOT NULL OR c.sent_at IS NOT NULL))"
                    + " FROM requests r WHERE r.kind = 'payment'")) {
                while (found.next()) {
                    rows.add(new RequestRow(found.getString(1), found.getString(2),
                            flowId(found.getString(3)), found.getBoolean(4),
                            found.getBoolean(5)));
                }
            } catch (SQLException schemaMoved) {
                // Only the half-done check needs these columns: say so there, not everywhere.
                rowsUnreadable = schemaMoved.getMessage();
            }
        }

        /** The half-done check over the requests that {@code flows} made. */
        HalfDone halfDone(Collection<Flow> flows) {
            Map<Long, Flow> byId = new HashMap<>();
            flows.forEach(flow -> byId.put(flow.id, flow));
            int requests = 0;
            int open = 0;
            int withoutModal = 0;
            int withoutCode = 0;
            int halfDone = 0;
            int busyCode = 0;
            int busyApproved = 0;
            Map<String, Integer> statuses = new TreeMap<>();
            for (RequestRow row : rows) {
                Flow flow = byId.get(row.flowId());
                if (flow == null) {
                    continue;
                }
                requests++;
                statuses.merge(row.status(), 1, Integer::sum);
                if (row.open()) {
                    open++;
                    withoutModal += row.modal() ? 0 : 1;
                    withoutCode += row.codeSent() ? 0 : 1;
                    halfDone += row.modal() && row.codeSent() ? 0 : 1;
                }
                if (flow.busyAt != 0) {
                    busyCode += row.codeSent() ? 1 : 0;
                    busyApproved += "APPROVED".equals(row.status()) ? 1 : 0;
                }
            }
            return new HalfDone(requests, open, withoutModal, withoutCode, halfDone, busyCode,
                    busyApproved, statuses, rowsUnreadable);
        }

        /** The flow id in a response_url the benchmark made: {@code …/response/<team>/<id>/…}. */
        private static long flowId(String responseUrl) {
            if (responseUrl == null) {
                return -1;
            }
            String[] parts = responseUrl.substring(responseUrl.indexOf("/response/") + 1)
                    .split("/");
            try {
                return parts.length > 2 ? Long.parseLong(parts[2]) : -1;
            } catch (NumberFormatException notOurs) {
                return -1;
            }
        }

        DatabaseCheck check(Collection<Flow> flows) {
            int notApproved = 0;
            int withoutId = 0;
            int wrongAuditCount = 0;
            for (Flow flow : flows) {
                if (flow.requestId == null) {
                    withoutId++;
                    continue;
                }
                if (!"APPROVED".equals(status.get(flow.requestId))) {
                    notApproved++;
                }
                if (approvedRows.getOrDefault(flow.requestId, 0) != 1) {
                    wrongAuditCount++;
                }
            }
            return new DatabaseCheck(flows.size(), notApproved, withoutId, wrongAuditCount,
                    strayRequests, status.size(), byStatus, auditRows);
        }
    }

    /** Reads {@code file}; {@code everyFlow}: all approval flows ever sent to that app. */
    static Snapshot read(Path file, Collection<Flow> everyFlow) throws SQLException {
        return new Snapshot("jdbc:sqlite:" + file, everyFlow);
    }

    /** The same from any database Countersign runs on (PostgreSQL: several apps, one schema). */
    static Snapshot read(String jdbcUrl, Collection<Flow> everyFlow) throws SQLException {
        return new Snapshot(jdbcUrl, everyFlow);
    }
}
