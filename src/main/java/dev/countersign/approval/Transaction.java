package dev.countersign.approval;

import dev.countersign.audit.AuditTrail;
import dev.countersign.people.Enrollments;

/**
 * One unit of work on the store: everything done through it commits together or not at all.
 * Writes take the database's write lock at the start ({@code BEGIN IMMEDIATE} on SQLite, a
 * database-wide advisory lock on PostgreSQL, shared by every instance), so checks made inside a
 * write transaction still hold when it commits.
 */
public interface Transaction {

    Requests requests();

    Challenges challenges();

    Enrollments enrollments();

    AuditTrail audit();

    Outbox outbox();

    FollowUps followUps();

    Origins origins();
}
