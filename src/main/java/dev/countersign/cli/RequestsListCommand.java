package dev.countersign.cli;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code requests list [--status S] [--since T] [--limit N]}: a table, newest first. */
@Command(name = "list", description = "Show requests as a table, newest first: reference, kind, "
        + "status, requester, what (amount and currency, document or action), created, decided.",
        footer = {"", OperatorTools.SETTINGS_HELP})
final class RequestsListCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Option(names = "--status", paramLabel = "STATUS", converter = Converters.StatusConverter.class,
            description = "Only requests in this status: AWAITING_CODE, "
                    + "AWAITING_SECOND_APPROVER, APPROVED, REJECTED, LOCKED, EXPIRED, CANCELLED "
                    + "or FAILED (any case).")
    private RequestStatus status;

    @Option(names = "--since", paramLabel = "WHEN", converter = Converters.WhenConverter.class,
            description = "Only requests made at or after this: a date like 2026-11-01, an "
                    + "instant like 2026-11-01T10:00:00Z, or a time ago like 24h or 7d.")
    private Instant since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
            description = "At most this many rows (default ${DEFAULT-VALUE}).")
    private int limit;

    @Override
    public Integer call() {
        return tool.withDatabase(store -> {
            List<ApprovalRequest> found = store.requestsMadeSince(
                    since == null ? Instant.EPOCH : since, Optional.ofNullable(status),
                    Math.max(1, limit));
            PrintWriter out = tool.out();
            out.print(RequestTable.of(found));
            out.flush();
            tool.err().println(found.size()
                    + (found.size() == 1 ? " request" : " requests"));
            return CountersignCommand.OK;
        });
    }
}
