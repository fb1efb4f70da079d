package dev.countersign.approval;

/**
 * The text sent before the code, naming what is approved so the code can't be mistaken for a
 * login code (OWASP transaction authorization; PSD2 dynamic linking). It must fit one SMS segment
 * together with the code: 160 GSM-7 characters, or 70 when any character needs UCS-2. When too
 * long, the payee (or document, or description) is shortened, never the amount.
 */
public final class CodeText {

    private static final String GSM7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENSION = "^{}\\[~]|€";
    /** The provider appends a space and the 6-digit code. */
    private static final int CODE_SUFFIX = 7;

    private CodeText() {
    }

    public static String forChallenge(Action action, ChallengePurpose purpose) {
        return switch (purpose) {
            case NEW_PHONE -> "Countersign: confirm this phone for approvals. Code:";
            case CURRENT_PHONE -> "Countersign: confirm moving your approvals to the phone ending "
                    + ((Action.PhoneEnrollment) action).lastFour() + ". Code:";
            case SECOND_APPROVER -> describe("Countersign: second approval, ", action);
            case REQUESTER -> describe("Countersign: approve ", action);
        };
    }

    private static String describe(String lead, Action action) {
        if (action instanceof Action.Payment payment) {
            return fit(lead + payment.money().formatted() + " to ", payment.payee(), ". Code:");
        }
        if (action instanceof Action.Signature signature) {
            String tail = signature.counterparty() == null ? ". Code:"
                    : " with " + signature.counterparty() + ". Code:";
            String fitted = fit(lead + "signing ", signature.document(), tail);
            return fits(fitted) ? fitted : fit(lead + "signing ", signature.document(), ". Code:");
        }
        if (action instanceof Action.Generic generic) {
            return fit(lead + "\"", generic.description(), "\". Code:");
        }
        return fit(lead, action.summary(), ". Code:");
    }

    /** {@code head + variable + tail}, with {@code variable} shortened until it fits a segment. */
    static String fit(String head, String variable, String tail) {
        String whole = head + variable + tail;
        if (fits(whole)) {
            return whole;
        }
        boolean gsm = isGsm7(whole);
        String ellipsis = gsm ? "..." : "…";
        int[] codePoints = variable.codePoints().toArray();
        for (int keep = codePoints.length - 1; keep >= 1; keep--) {
            String shortened = new String(codePoints, 0, keep).strip() + ellipsis;
            String candidate = head + shortened + tail;
            if (fits(candidate)) {
                return candidate;
            }
        }
        // A long amount can leave no room in a 70-unit UCS-2 segment even for "…": drop the
        // non-GSM text entirely so the message falls back to the 160-septet GSM-7 budget.
        String empty = head + ellipsis + tail;
        return fits(empty) ? empty : head + "..." + tail;
    }

    static boolean fits(String text) {
        return isGsm7(text) ? gsm7Length(text) + CODE_SUFFIX <= 160 : text.length()
                + CODE_SUFFIX <= 70;
    }

    static boolean isGsm7(String text) {
        return text.chars().allMatch(c -> GSM7.indexOf(c) >= 0 || GSM7_EXTENSION.indexOf(c) >= 0);
    }

    /** Extension characters take two septets. */
    static int gsm7Length(String text) {
        return (int) text.chars().map(c -> GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
    }
}
