package dev.countersign.approval;

/**
 * Which periodic jobs (the expiry sweep, the webhook outbox) this instance runs. With several
 * instances on one database each job runs on one of them at a time, claimed in the database;
 * when the instance holding a job dies, the next instance to ask takes it over.
 */
@FunctionalInterface
public interface JobClaims {

    /** The only instance there is (SQLite: one process owns the file): it runs every job. */
    JobClaims ALONE = job -> true;

    /**
     * Whether this instance runs {@code job} now: true while it holds the job's claim, claiming
     * it first when no live instance holds it. Cheap enough to ask before every run.
     */
    boolean holds(String job);
}
