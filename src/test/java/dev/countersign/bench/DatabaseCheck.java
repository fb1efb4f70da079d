package dev.countersign.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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

    /** The rows the checks need, read once. */
    static final class Snapshot {
        private final Map<String, String> status = new HashMap<>();
        private final Map<String, Integer> byStatus = new TreeMap<>();
        private final Map<String, Integer> approvedRows = new HashMap<>();
        private final long auditRows;
        private final int strayRequests;

        private Snapshot(Path file, Collection<Flow> everyFlow) throws SQLException {
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
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
        return new Snapshot(file, everyFlow);
    }
}
