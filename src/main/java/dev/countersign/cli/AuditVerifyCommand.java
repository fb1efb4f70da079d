package dev.countersign.cli;

import dev.countersign.audit.AuditAnchor;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditVerification;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code audit verify}: checks the whole chain under the server's key (the same settings as the
 * server's); exit 1 names the first bad row, or says the trail was not written with this key.
 * With {@code --anchor}, also checks a saved anchor line against the trail.
 */
@Command(name = "verify",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Check every audit row against the keyed hash chain. "
        + "Exits 1 and names the first bad row if any row was changed or removed, or says so "
        + "if the trail was not written with this key.")
final class AuditVerifyCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Option(names = "--anchor", paramLabel = "LINE", description = "An anchor line logged by "
            + "the server or `audit anchor` (row=… hash=… at=… mac=…): checks that the trail "
            + "still holds that row, unchanged (nothing was cut off its end).")
    private String anchorLine;

    @Override
    public Integer call() {
        Optional<AuditAnchor.Anchor> anchor = Optional.empty();
        if (anchorLine != null) {
            anchor = AuditAnchor.parse(anchorLine);
            if (anchor.isEmpty()) {
                throw tool.usageError("--anchor must be an anchor line "
                        + "as logged: row=<id> hash=<64 hex> at=<time> mac=<64 hex>");
            }
        }
        Optional<AuditAnchor.Anchor> saved = anchor;
        return tool.withDatabase(store -> {
            PrintWriter out = tool.out();
            AuditVerification.Result result = new AuditVerification(store,
                    new AuditChain(store.keys())).verify();
            int status = switch (result) {
                case AuditVerification.Result.Broken broken -> {
                    out.println("audit trail BROKEN at row " + broken.rowId() + ": "
                            + broken.reason());
                    yield CountersignCommand.FAILED;
                }
                case AuditVerification.Result.WrongKey wrong -> {
                    out.println("audit trail NOT WRITTEN WITH THIS KEY: row " + wrong.rowId()
                            + " " + wrong.reason().replaceFirst("^it ", ""));
                    yield CountersignCommand.FAILED;
                }
                case AuditVerification.Result.Intact intact -> {
                    long rows = intact.rowsChecked();
                    out.println("audit trail OK: " + rows + (rows == 1 ? " row" : " rows"));
                    yield CountersignCommand.OK;
                }
            };
            if (saved.isEmpty() || status != CountersignCommand.OK) {
                return status;
            }
            return anchorStatus(new AuditAnchor(store.keys()).check(saved.get(), store), out);
        });
    }

    private static int anchorStatus(AuditAnchor.Check check, PrintWriter out) {
        return switch (check) {
            case AuditAnchor.Check.Holds holds -> {
                out.println("anchor OK: row " + holds.anchor().rowId() + " is in the trail, "
                        + "unchanged since " + holds.anchor().at());
                yield CountersignCommand.OK;
            }
            case AuditAnchor.Check.NotGenuine ignored -> {
                out.println("anchor NOT GENUINE: its MAC does not verify under this key");
                yield CountersignCommand.FAILED;
            }
            case AuditAnchor.Check.RowMissing missing -> {
                out.println("anchor BROKEN: the trail ends at row " + missing.lastRowId()
                        + " but row " + missing.anchor().rowId() + " was there at "
                        + missing.anchor().at() + " (rows were cut off the end)");
                yield CountersignCommand.FAILED;
            }
            case AuditAnchor.Check.HashDiffers differs -> {
                out.println("anchor BROKEN: row " + differs.anchor().rowId() + " has another "
                        + "hash than at " + differs.anchor().at() + " (the trail was rewritten)");
                yield CountersignCommand.FAILED;
            }
        };
    }
}
