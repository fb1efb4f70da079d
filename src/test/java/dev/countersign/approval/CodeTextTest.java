package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The text before the code must say what is approved and fit one SMS segment with the code the
 * provider appends: 160 GSM-7 septets, or 70 UTF-16 units when any character is outside GSM-7.
 */
class CodeTextTest {

    /** GSM 03.38 basic character set (one septet each). */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** GSM 03.38 extension table (escape + character: two septets each). */
    private static final String GSM_EXTENSION = "^{}\\[~]|€";
    /** What SignalWire appends: a space and the 6-digit code. */
    private static final String APPENDED = " 123456";

    private static Action.Payment payment(String amount, String currency, String payee) {
        Money money = new Money(new BigDecimal(amount), CurrencyCode.of(currency).orElseThrow());
        return new Action.Payment(money, payee, null);
    }

    private static String requesterText(Action action) {
        return CodeText.forChallenge(action, ChallengePurpose.REQUESTER);
    }

    @Test
    void paymentTextNamesTheAmountWithCurrencyAndThePayee() {
        String text = requesterText(payment("2500", "USD", "Acme Corp"));

        assertThat(text).isEqualTo("Countersign: approve USD 2,500.00 to Acme Corp. Code:");
        assertThat(fitsOneSegment(text + APPENDED)).isTrue();
    }

    @Test
    void currencyWithoutDecimalsIsShownAsPeopleWriteIt() {
        assertThat(requesterText(payment("250000", "JPY", "Tanaka Shoji")))
                .contains("JPY 250,000 to Tanaka Shoji");
    }

    @Test
    void longPayeeIsShortenedWithDotsAndTheAmountIsKeptWhole() {
        String payee = "Acme Corporation International Holdings and Subsidiaries Worldwide Limited "
                + "Partnership Account 00042";
        assertThat(payee).hasSize(100);

        String text = requesterText(payment("999999999999.99", "USD", payee));

        assertThat(text).contains("USD 999,999,999,999.99").endsWith(".... Code:")
                .startsWith("Countersign: approve USD 999,999,999,999.99 to Acme Corporation");
        assertThat(isGsm7(text)).isTrue();
        assertThat(septets(text + APPENDED)).isBetween(155, 160);
        String kept = text.substring(text.indexOf(" to ") + 4, text.lastIndexOf("...."));
        assertThat(payee).startsWith(kept);
    }

    @Test
    void extensionCharactersCountAsTwoSeptets() {
        // 100 characters, but 120 septets: too long once each € and | takes two.
        String payee = "€|".repeat(10) + "Acme Corp ".repeat(8);
        assertThat(payee).hasSize(100);

        String text = requesterText(payment("2500", "USD", payee));

        assertThat(isGsm7(text)).isTrue();
        assertThat(septets(text + APPENDED)).isLessThanOrEqualTo(160);
        assertThat(text).contains("USD 2,500.00").contains("...");
    }

    @Test
    void payeeOutsideGsm7FitsSeventyCharactersWithAnEllipsis() {
        String payee = "東京海上日動火災保険株式会社 本店営業部 経理課 支払担当窓口";

        String text = requesterText(payment("2500", "USD", payee));

        assertThat(isGsm7(text)).isFalse();
        assertThat((text + APPENDED).length()).isLessThanOrEqualTo(70);
        assertThat(text).contains("USD 2,500.00", "東京海上", "…").doesNotContain("...");
    }

    @Test
    void hugeAmountToANonGsmPayeeStillFitsOneSegment() {
        // Even an empty payee plus "…" leaves no room in 70 UCS-2 units here.
        Action.Payment payment = payment("999999999999.99", "USD", "東京海上日動火災保険株式会社");

        String text = CodeText.forChallenge(payment, ChallengePurpose.SECOND_APPROVER);

        assertThat(fitsOneSegment(text + APPENDED)).as(text).isTrue();
        assertThat(text).contains("USD 999,999,999,999.99");
    }

    @Test
    void emojiInThePayeeAreNeverCutInHalf() {
        String payee = "Party Supplies 🎉🎈🎉🎈🎉🎈🎉🎈🎉🎈🎉🎈🎉🎈🎉🎈🎉🎈";

        String text = requesterText(payment("19.99", "EUR", payee));

        assertThat((text + APPENDED).length()).isLessThanOrEqualTo(70);
        assertThat(text).contains("EUR 19.99", "…");
        assertThat(text.codePoints()).noneMatch(CodeTextTest::isLoneSurrogate);
    }

    @Test
    void shortPayeeOutsideGsm7IsKeptWhole() {
        String text = requesterText(payment("2500", "USD", "Zoë's Café"));

        assertThat(text).isEqualTo("Countersign: approve USD 2,500.00 to Zoë's Café. Code:");
        assertThat((text + APPENDED).length()).isLessThanOrEqualTo(70);
    }

    @Test
    void signatureTextNamesTheDocumentAndCounterparty() {
        String text = requesterText(new Action.Signature("Master Services Agreement", "Globex"));

        assertThat(text).isEqualTo(
                "Countersign: approve signing Master Services Agreement with Globex. Code:");
    }

    @Test
    void everyTextReadsAsAnApprovalNeverAsALogin() {
        Action[] actions = {
            payment("2500", "USD", "Acme Corp"),
            new Action.Signature("Master Services Agreement", "Globex"),
            new Action.Signature("NDA", null),
            new Action.Generic("deploy billing-service v2.3 to production"),
        };
        for (Action action : actions) {
            for (ChallengePurpose purpose : new ChallengePurpose[] {
                ChallengePurpose.REQUESTER, ChallengePurpose.SECOND_APPROVER}) {
                String text = CodeText.forChallenge(action, purpose).toLowerCase(Locale.ROOT);
                assertThat(text).as(action + " " + purpose).contains("approv")
                        .doesNotContain("login", "log in", "log-in", "sign in", "sign-in");
            }
            assertThat(requesterText(action)).contains("approve");
        }
    }

    @Test
    void randomPayeesAndAmountsAlwaysFitOneSegmentWithTheAmountWhole() {
        Random random = new Random(20260105L);
        String[] alphabets = {
            "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&.,-'",
            "[]{}|€^~\\ab cd",
            "äöñüàÄÖÑÜéè ÆØÅ",
            "東京海上日動 北京上海 Ωμέγα",
            "🎉🎈👍🏽 x",
        };
        String[] currencies = {"USD", "EUR", "JPY", "KWD", "GBP"};
        for (int round = 0; round < 500; round++) {
            String alphabet = alphabets[random.nextInt(alphabets.length)];
            int[] letters = alphabet.codePoints().toArray();
            StringBuilder payee = new StringBuilder("P");
            int length = 1 + random.nextInt(Action.MAX_PAYEE - 1);
            while (payee.codePointCount(0, payee.length()) < length) {
                payee.appendCodePoint(letters[random.nextInt(letters.length)]);
            }
            String currency = currencies[random.nextInt(currencies.length)];
            CurrencyCode code = CurrencyCode.of(currency).orElseThrow();
            long units = 1 + (long) (random.nextDouble() * 99_999_999_999L);
            BigDecimal amount = BigDecimal.valueOf(units)
                    .movePointLeft(code.fractionDigits() == 0 ? 0 : random.nextInt(3))
                    .setScale(code.fractionDigits(), RoundingMode.DOWN);
            if (amount.signum() <= 0) {
                continue;
            }
            Action.Payment action =
                    new Action.Payment(new Money(amount, code), payee.toString(), null);

            for (ChallengePurpose purpose : new ChallengePurpose[] {
                ChallengePurpose.REQUESTER, ChallengePurpose.SECOND_APPROVER}) {
                String text = CodeText.forChallenge(action, purpose);
                assertThat(fitsOneSegment(text + APPENDED)).as("round %d: %s", round, text)
                        .isTrue();
                assertThat(text).as("round %d", round).contains(action.money().formatted());
                assertThat(text.codePoints()).noneMatch(CodeTextTest::isLoneSurrogate);
            }
        }
    }

    private static boolean isLoneSurrogate(int codePoint) {
        return Character.getType(codePoint) == Character.SURROGATE;
    }

    private static boolean fitsOneSegment(String message) {
        return isGsm7(message) ? septets(message) <= 160 : message.length() <= 70;
    }

    private static boolean isGsm7(String text) {
        return text.chars()
                .allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0);
    }

    private static int septets(String text) {
        return text.chars().map(c -> GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
    }
}
