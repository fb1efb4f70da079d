package dev.countersign.otp;

/** Phone numbers in logs, views and audit rows show only their last four digits. */
public final class PhoneMask {

    private PhoneMask() {
    }

    /** {@code +12015550123} becomes {@code •••• 0123}. */
    public static String mask(String phone) {
        return "•••• " + lastFour(phone);
    }

    public static String lastFour(String phone) {
        if (phone == null) {
            return "????";
        }
        String digits = phone.replaceAll("[^0-9]", "");
        return digits.length() <= 4 ? "????" : digits.substring(digits.length() - 4);
    }
}
