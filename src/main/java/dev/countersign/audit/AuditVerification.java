package dev.countersign.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the whole audit trail, oldest row first, a page at a time (each page in its own short
 * read, so a long check never holds up the server). Stops at the first bad row.
 */
public final class AuditVerification {

    static final int PAGE = 1000;

    private final AuditReader trail;
    private final AuditChain chain;

    public AuditVerification(AuditReader trail, AuditChain chain) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    /** What the check found. */
    public sealed interface Result {
        boolean ok();

        long rowsChecked();

        /** Every row is intact and chained to the one before it. */
        record Intact(long rowsChecked) implements Result {
            @Override
            public boolean ok() {
                return true;
            }
        }

        /** {@code rowId} is the first bad row: changed, or the first of missing ones. */
        record Broken(long rowId, String reason, long rowsChecked) implements Result {
            @Override
            public boolean ok() {
                return false;
            }
        }

        /** The trail was not written with the keys given: {@code rowId} verifies under none. */
        record WrongKey(long rowId, String reason, long rowsChecked) implements Result {
            @Override
            public boolean ok() {
                return false;
            }
        }
    }

    public Result verify() {
        AuditChain.Verifier verifier = chain.verifier();
        long lastId = 0;
        while (true) {
            long after = lastId;
            List<AuditRecord> page = trail.after(after, PAGE);
            for (AuditRecord row : page) {
                Optional<AuditChain.Verifier.Problem> problem = verifier.inspect(row);
                if (problem.isPresent()) {
                    return failed(problem.get(), verifier.checked());
                }
                lastId = row.id();
            }
            if (page.size() < PAGE) {
                return verifier.finish().map(problem -> failed(problem, verifier.checked()))
                        .orElseGet(() -> new Result.Intact(verifier.checked()));
            }
        }
    }

    private static Result failed(AuditChain.Verifier.Problem problem, long checked) {
        return problem.wrongKey()
                ? new Result.WrongKey(problem.rowId(), problem.reason(), checked)
                : new Result.Broken(problem.rowId(), problem.reason(), checked);
    }
}
