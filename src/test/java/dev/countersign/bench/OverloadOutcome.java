package dev.countersign.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the people of the overload scenario saw, per command: an ack within 3 s, and either their
 * modal ({@code views.open} for their trigger reached Slack within 3 s of the command) or a prompt
 * ephemeral "busy" reply. {@code neither} is the share that got no answer they could act on.
 */
record OverloadOutcome(int commands, int acksLate, int modalInTime, int busyInTime, int both,
                       int neither, int modalLate, int busyLate, int otherReplies, int approved,
                       Map<String, Integer> neitherWhy) {

    /** Neither modal nor busy, as a share of all commands. */
    double neitherShare() {
        return commands == 0 ? 0 : (double) neither / commands;
    }

    static OverloadOutcome of(Bucket bucket, Duration ackWithin, Duration modalWithin,
                              Duration busyWithin) {
        int commands = 0;
        int acksLate = 0;
        int modal = 0;
        int busy = 0;
        int both = 0;
        int neither = 0;
        int modalLate = 0;
        int busyLate = 0;
        int other = 0;
        int approved = 0;
        Map<String, Integer> why = new TreeMap<>();
        for (Flow flow : bucket.flows) {
            commands++;
            if (!within(flow, flow.ackAt, ackWithin)) {
                acksLate++;
            }
            boolean gotModal = within(flow, flow.openAt, modalWithin);
            boolean gotBusy = within(flow, flow.busyAt, busyWithin);
            boolean openedLate = !gotModal && (flow.openAt != 0 || flow.openRefusedAt != 0);
            boolean busyTooLate = !gotBusy && flow.busyAt != 0;
            modal += gotModal ? 1 : 0;
            busy += gotBusy ? 1 : 0;
            both += gotModal && gotBusy ? 1 : 0;
            modalLate += openedLate ? 1 : 0;
            busyLate += busyTooLate ? 1 : 0;
            other += flow.otherReplyAt != 0 ? 1 : 0;
            approved += flow.approvedAt != 0 ? 1 : 0;
            if (!gotModal && !gotBusy) {
                neither++;
                why.merge(reason(flow, openedLate, busyTooLate), 1, Integer::sum);
            }
        }
        return new OverloadOutcome(commands, acksLate, modal, busy, both, neither, modalLate,
                busyLate, other, approved, why);
    }

    /** True when the event happened, no later than {@code limit} after the command. */
    private static boolean within(Flow flow, long at, Duration limit) {
        return at != 0 && at - flow.intended <= limit.toNanos();
    }

    private static String reason(Flow flow, boolean openedLate, boolean busyTooLate) {
        String modal = openedLate ? "modal too late" : "no views.open";
        String reply = busyTooLate ? "busy too late"
                : flow.otherReplyAt != 0 ? "another reply (not busy)" : "no reply";
        return modal + ", " + reply;
    }
}
