package dev.countersign.cli;

import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.audit.AuditRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code requests show REF}: every field of one request, then its audit rows. */
@Command(name = "show", description = "Show one request, every field, and its audit rows "
        + "(phones only by their last four digits).",
        footer = {"", OperatorTools.SETTINGS_HELP})
final class RequestsShowCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Parameters(index = "0", paramLabel = "REF", description = "The reference, like CS-7K3P9Q.")
    private String reference;

    @Override
    public Integer call() {
        return tool.withDatabase(store -> {
            record Shown(ApprovalRequest request, List<AuditRecord> audit) {
            }
            Optional<Shown> found = store.read(tx -> tx.requests()
                    .findByReference(OperatorTools.reference(reference))
                    .map(request -> new Shown(request, tx.audit().ofRequest(request.id()))));
            if (found.isEmpty()) {
                tool.err().println("REF: there is no request " + reference
                        + " (requests list shows them)");
                return CountersignCommand.USAGE;
            }
            PrintWriter out = tool.out();
            ApprovalRequest request = found.get().request();
            field(out, "reference", request.reference());
            field(out, "id", request.id());
            field(out, "kind", request.action().kind());
            field(out, "status", request.status().name());
            field(out, "status detail", request.statusDetail());
            field(out, "requester", RequestTable.requester(request));
            field(out, "action", request.action().summary());
            for (Map.Entry<String, String> entry : request.action().fields().entrySet()) {
                field(out, entry.getKey().replace('_', ' '), entry.getValue());
            }
            field(out, "created", RequestTable.time(request.createdAt()));
            field(out, "expires", RequestTable.time(request.expiresAt()));
            field(out, "decided", RequestTable.time(request.decidedAt()));
            field(out, "decided by", request.decidedBy());
            field(out, "channel", request.replyTo().channelId());
            boolean bound = new ActionBinding(store.keys()).verifies(request);
            field(out, "binding", bound ? "verifies under the key"
                    : "DOES NOT VERIFY: the details changed after it was made, or it was bound "
                    + "under a key not given");
            out.println("audit:");
            for (AuditRecord row : found.get().audit()) {
                out.println("  " + row.at() + "  " + row.type() + "  " + row.actor() + "  "
                        + row.details());
            }
            out.flush();
            return CountersignCommand.OK;
        });
    }

    private static void field(PrintWriter out, String name, String value) {
        out.println(String.format("%-15s %s", name + ":", value == null ? "-" : value));
    }
}
