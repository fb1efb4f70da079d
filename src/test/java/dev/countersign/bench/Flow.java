package dev.countersign.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated person's command and everything after it. Times are {@link System#nanoTime()};
 * 0 means "not yet". A flow ends exactly once: completed, or failed with a reason.
 */
final class Flow {

    enum Kind {
        /** {@code /approve enroll <phone>} → modal → code → submission. */
        ENROLL,
        /** {@code /approve pay …} → modal → code → submission → approval posted. */
        APPROVE,
        /** The command only; done when acknowledged (the bare Bolt ceiling). */
        ACK_ONLY,
        /**
         * {@code /approve pay …} under overload: like {@link #APPROVE}, but a "busy" reply (on
         * the response_url, or in the ack) ends it too, and a refused {@code views.open} is not
         * an error by itself: the app owes the person a reply then.
         */
        OVERLOAD
    }

    final long id;
    final Kind kind;
    final User user;
    final Bucket bucket;
    /** When the schedule said to send the command: every latency is measured from here. */
    final long intended;

    volatile long sentAt;
    volatile long ackAt;
    volatile long openAt;
    volatile long startAt;
    volatile long updateAt;
    volatile long submitAt;
    volatile long answerAt;
    volatile long approvedAt;
    /** First "busy" reply, on the response_url or in the ack. */
    volatile long busyAt;
    /** A {@code views.open} the fake refused (trigger too old, or used before). */
    volatile long openRefusedAt;
    /** First response_url post that was neither the approval nor "busy". */
    volatile long otherReplyAt;
    volatile String viewId;
    volatile String requestId;
    volatile boolean completed;
    /** Seen views.open and the first views.update: both needed before typing the code. */
    final AtomicInteger readyEvents = new AtomicInteger(2);
    /** Events still needed to complete: see {@link FlowDriver}. */
    final AtomicInteger pendingEnds;
    final AtomicInteger approvalPosts = new AtomicInteger();
    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger messages = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();

    Flow(long id, Kind kind, User user, Bucket bucket, long intended) {
        this.id = id;
        this.kind = kind;
        this.user = user;
        this.bucket = bucket;
        this.intended = intended;
        this.pendingEnds = new AtomicInteger(switch (kind) {
            case ACK_ONLY -> 1; // the ack
            case ENROLL -> 2; // the submission answer and the "your phone is now …" DM
            case APPROVE, OVERLOAD -> 2; // the submission answer and the approval post
        });
    }

    /** Ends the flow once; later calls return false. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    boolean ended() {
        return ended.get();
    }

    /** Where a flow that never finished got stuck. */
    String stage() {
        if (ackAt == 0) {
            return "no command ack";
        }
        if (kind == Kind.ACK_ONLY) {
            return "acked";
        }
        if (openAt == 0) {
            return "no views.open";
        }
        if (startAt == 0) {
            return "no SignalWire start";
        }
        if (updateAt == 0) {
            return "no views.update";
        }
        if (answerAt == 0) {
            return "no submission answer";
        }
        if (kind == Kind.ENROLL) {
            return messages.get() == 0 ? "no enrollment DM" : "done";
        }
        return approvalPosts.get() == 0 ? "no approval post" : "done";
    }

    /** A simulated person: Slack user id and the phone they enroll. */
    record User(String id, String phone) {
        static User number(String prefix, int n) {
            // +1 201 2xx xxxx: valid NANP numbers for libphonenumber, distinct per person.
            return new User(prefix + String.format("%07d", n),
                    String.format("+1201%03d%04d", 200 + n / 10_000, n % 10_000));
        }
    }
}
