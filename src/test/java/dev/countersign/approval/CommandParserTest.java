package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.countersign.approval.Action.Generic;
import dev.countersign.approval.Action.Payment;
import dev.countersign.approval.Action.Signature;
import dev.countersign.approval.Command.AdminReset;
import dev.countersign.approval.Command.Cancel;
import dev.countersign.approval.Command.Enroll;
import dev.countersign.approval.Command.Help;
import dev.countersign.approval.Command.Invalid;
import dev.countersign.approval.Command.OpenForm;
import dev.countersign.approval.Command.RequestApproval;
import dev.countersign.approval.Command.Status;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    // --- payments -------------------------------------------------------------------------------

    @Test
    void paymentKeepsAmountCurrencyPayeeAndMemo() {
        Payment payment = payment("pay 2500 USD to Acme Corp for INV-1042");

        assertThat(payment.money().plainAmount()).isEqualTo("2500.00");
        assertThat(payment.money().currency().code()).isEqualTo("USD");
        assertThat(payment.payee()).isEqualTo("Acme Corp");
        assertThat(payment.memo()).isEqualTo("INV-1042");
        assertThat(payment.summary()).isEqualTo("pay USD 2,500.00 to Acme Corp (for INV-1042)");
    }

    static Stream<Arguments> goodPayments() {
        return Stream.of(
                arguments("PAY 2,500.00 usd TO Acme Corp", "2500.00", "USD", "Acme Corp", null),
                arguments("pay USD 19.99 to Zoë's Café ☕", "19.99", "USD", "Zoë's Café ☕", null),
                arguments("pay 0.5 EUR to 株式会社トヨタ 🚗", "0.50", "EUR", "株式会社トヨタ 🚗", null),
                arguments("pay 12 GBP to 👩‍💻 Studio for 🎉", "12.00", "GBP", "👩‍💻 Studio", "🎉"),
                arguments("pay 100 JPY to Sony", "100", "JPY", "Sony", null),
                arguments("pay 100.00 JPY to Sony", "100", "JPY", "Sony", null),
                arguments("pay 5 KWD to Zain", "5.000", "KWD", "Zain", null),
                arguments("pay 1,000,000 GBP to HMRC for VAT Q3", "1000000.00", "GBP", "HMRC",
                        "VAT Q3"),
                arguments("pay 999999999999.99 USD to Big Co", "999999999999.99", "USD", "Big Co",
                        null),
                arguments("pay 007 USD to Bond", "7.00", "USD", "Bond", null),
                arguments("Pay\t2500\tUSD\tto Acme", "2500.00", "USD", "Acme", null),
                arguments("  pay   2500    USD   to   Acme  Corp   for   x  ", "2500.00", "USD",
                        "Acme  Corp", "x"),
                arguments("pay 10 USD to Bob for lunch for two", "10.00", "USD", "Bob",
                        "lunch for two"),
                arguments("pay 10 USD to Forbes Media for format fees", "10.00", "USD",
                        "Forbes Media", "format fees"),
                arguments("pay 10 USD to Bob FOR lunch", "10.00", "USD", "Bob", "lunch"),
                arguments("pay 10 usd to <script>alert(1)</script>", "10.00", "USD",
                        "<script>alert(1)</script>", null),
                arguments("pay 10 USD to O'Brien & Sons, Ltd. for \"Q1\" (draft) *now*", "10.00",
                        "USD", "O'Brien & Sons, Ltd.", "\"Q1\" (draft) *now*"),
                arguments("pay 10 USD to to for for", "10.00", "USD", "to", "for"),
                arguments("pay EUR 2,500 to ACME gmbh", "2500.00", "EUR", "ACME gmbh", null));
    }

    @ParameterizedTest
    @MethodSource("goodPayments")
    void paymentKeepsWhatWasTyped(String text, String amount, String currency, String payee,
                                  String memo) {
        Payment payment = payment(text);

        assertThat(payment.money().plainAmount()).isEqualTo(amount);
        assertThat(payment.money().currency().code()).isEqualTo(currency);
        assertThat(payment.payee()).isEqualTo(payee);
        assertThat(payment.memo()).isEqualTo(memo);
    }

    static Stream<Arguments> badPayments() {
        return Stream.of(
                arguments("pay -5 USD to Acme", "The amount must be more than zero."),
                arguments("pay 0 USD to Acme", "The amount must be more than zero."),
                arguments("pay 0.00 USD to Acme", "The amount must be more than zero."),
                arguments("pay +5 USD to Acme", "Leave out the + sign"),
                arguments("pay 1e5 USD to Acme", "plain digits, like 100000"),
                arguments("pay 2,50 USD to Acme", "`2,50` is not an amount I can read"),
                arguments("pay 25,00.00 USD to Acme", "`25,00.00` is not an amount I can read"),
                arguments("pay 2.500,00 EUR to Acme", "`2.500,00` is not an amount I can read"),
                arguments("pay 0,500 EUR to Acme", "is not an amount I can read"),
                arguments("pay .5 USD to Acme", "`.5` is not an amount I can read"),
                arguments("pay 5. USD to Acme", "`5.` is not an amount I can read"),
                arguments("pay ５ USD to Acme", "is not an amount I can read"),
                arguments("pay $2500 to Acme", "Leave out the currency symbol"),
                arguments("pay €2500 EUR to Acme", "Leave out the currency symbol"),
                arguments("pay 2500$ USD to Acme", "Leave out the currency symbol"),
                arguments("pay 2500.001 USD to Acme", "at most 2 decimals"),
                arguments("pay 100.5 JPY to Sony", "JPY amounts have no decimals"),
                arguments("pay 2500 XYZ to Acme", "`XYZ` is not a currency code I know — use an"
                        + " ISO 4217 code like USD, EUR or GBP."),
                arguments("pay 2500 DEM to Acme", "`DEM` is not a currency payments are made in"),
                arguments("pay 2500 xau to Acme", "`XAU` is not a currency payments are made in"),
                arguments("pay 2500 US to Acme", "`US` is not a currency code I know"),
                arguments("pay 5 uſd to Acme", "is not a currency code I know"),
                arguments("pay 2500 USD Acme Corp", "Put `to` before the payee"),
                arguments("pay 2500 USD", "Say who to pay: `/approve pay 2500 USD to Acme Corp`"),
                arguments("pay 2500 USD to", "Say who to pay"),
                arguments("pay 2500 USD to    ", "Say who to pay"),
                arguments("pay 2500 USD to for INV-1", "Say who to pay after `to`"),
                arguments("pay 2500 USD to Acme for", "Say what the payment is for"),
                arguments("pay 2500 USD to Acme for   ", "Say what the payment is for"),
                arguments("pay", "Say how much, in which currency and to whom"),
                arguments("PAY   ", "Say how much, in which currency and to whom"),
                arguments("pay 2500", "Say which currency"),
                arguments("pay 2500 to Acme", "Say which currency"),
                arguments("pay USD to Acme", "Say how much to pay after the currency"),
                arguments("pay USD", "Say how much to pay after the currency"),
                arguments("pay to Acme", "Say how much to pay before `to`"),
                arguments("pay 2500USD to Acme", "Put a space between the amount and the currency"),
                arguments("pay USD2500 to Acme", "Put a space between the amount and the currency"),
                arguments("pay 2 500 USD to Acme", "Write the amount without spaces"),
                arguments("pay 1000000000000 USD to Acme", "too large to approve in chat"),
                arguments("pay 1,000,000,000,000.00 USD to Acme", "below 1,000,000,000,000"),
                arguments("pay 99999999999999999999999999999999 USD to Acme", "too large"),
                arguments("pay the bill to Bob", "`bill` is not an amount I can read"),
                arguments("pay 5 USD to Acme\tCorp", "The payee contains control characters."),
                arguments("pay 5 USD to Acme for a\tb", "The memo contains control characters."));
    }

    @ParameterizedTest
    @MethodSource("badPayments")
    void paymentThatDoesNotParseIsRefusedNeverTreatedAsGeneric(String text, String problem) {
        Command command = CommandParser.parse(text);

        assertThat(command).isInstanceOf(Invalid.class);
        if (problem != null) {
            assertThat(((Invalid) command).problem()).contains(problem);
        }
    }

    @Test
    void payeeOfOneHundredCharactersIsAcceptedAndOneMoreIsRefused() {
        String payee = "P".repeat(99) + "☕";

        assertThat(payment("pay 5 USD to " + payee).payee()).isEqualTo(payee);
        assertThat(problem("pay 5 USD to " + payee + "x"))
                .isEqualTo("The payee is longer than 100 characters.");
    }

    @Test
    void memoOfTwoHundredCharactersIsAcceptedAndOneMoreIsRefused() {
        String memo = "m".repeat(200);

        assertThat(payment("pay 5 USD to Acme for " + memo).memo()).isEqualTo(memo);
        assertThat(problem("pay 5 USD to Acme for " + memo + "m"))
                .isEqualTo("The memo is longer than 200 characters.");
    }

    @Test
    void wordsThatOnlyStartWithPayAreGenericActions() {
        assertThat(generic("payment run for March")).isEqualTo("payment run for March");
        assertThat(generic("payroll 2500 USD")).isEqualTo("payroll 2500 USD");
    }

    @Test
    void quotedInputInProblemsCannotMentionOrLink() {
        String problem = problem("pay 5 <!channel> to Acme");

        assertThat(problem).contains("`&lt;!channel&gt;` is not a currency code I know")
                .doesNotContain("<!channel>");
    }

    @Test
    void longQuotedInputIsShortened() {
        String problem = problem("pay " + "9".repeat(40) + "x USD to Acme");

        assertThat(problem).contains("`" + "9".repeat(24) + "…`").doesNotContain("9".repeat(25));
    }

    // --- signatures -----------------------------------------------------------------------------

    static Stream<Arguments> goodSignatures() {
        return Stream.of(
                arguments("sign Master Services Agreement with Globex", "Master Services Agreement",
                        "Globex"),
                arguments("sign NDA with amendments with Globex", "NDA with amendments", "Globex"),
                arguments("SIGN nda", "nda", null),
                arguments("sign NDA WITH Globex Corp.", "NDA", "Globex Corp."),
                arguments("sign Withholding agreement", "Withholding agreement", null),
                arguments("sign NDA with\tGlobex", "NDA", "Globex"),
                arguments("sign <script>alert(1)</script> with 株式会社", "<script>alert(1)</script>",
                        "株式会社"),
                arguments("sign   Lease  #4   with   Zoë   ", "Lease  #4", "Zoë"));
    }

    @ParameterizedTest
    @MethodSource("goodSignatures")
    void signatureKeepsDocumentAndCounterparty(String text, String document, String counterparty) {
        Signature signature = signature(text);

        assertThat(signature.document()).isEqualTo(document);
        assertThat(signature.counterparty()).isEqualTo(counterparty);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sign", "SIGN   ", "sign with Globex"})
    void signatureWithoutDocumentIsRefused(String text) {
        assertThat(problem(text)).startsWith("Say what to sign");
    }

    @Test
    void signatureWithEmptyCounterpartyIsRefused() {
        assertThat(problem("sign NDA with")).startsWith("Say who signs with you after `with`");
    }

    @Test
    void documentAndCounterpartyAreLimitedToTwoHundredCharacters() {
        String twoHundred = "d".repeat(200);

        assertThat(signature("sign " + twoHundred + " with " + twoHundred).document())
                .isEqualTo(twoHundred);
        assertThat(problem("sign " + twoHundred + "d"))
                .isEqualTo("The document is longer than 200 characters.");
        assertThat(problem("sign NDA with " + twoHundred + "c"))
                .isEqualTo("The counterparty is longer than 200 characters.");
    }

    // --- generic actions and the whole text -----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "deploy billing-service v2.3 to production",
        "<script>alert(1)</script>",
        "rotate the prod database password for <@U024BE7LH>",
        "signature of the CEO",
        "ſign NDA",
        "Zoë's Café ☕ 株式会社 👩‍💻",
        "&amp; stays &amp;"})
    void otherTextIsAGenericActionKeptVerbatim(String text) {
        assertThat(generic(text)).isEqualTo(text);
    }

    @Test
    void genericActionIsTrimmed() {
        assertThat(generic("   reboot prod   ")).isEqualTo("reboot prod");
    }

    @Test
    void genericActionOfThreeHundredCharactersIsAcceptedAndOneMoreIsRefused() {
        assertThat(generic("x".repeat(300))).hasSize(300);
        assertThat(problem("x".repeat(301))).isEqualTo("The action is longer than 300 characters.");
    }

    @Test
    void wholeTextIsLimitedToFiveHundredCodePoints() {
        String emoji = "😀".repeat(493);

        assertThat(CommandParser.parse("enroll " + emoji)).isEqualTo(new Enroll(emoji));
        assertThat(problem("enroll " + emoji + "😀"))
                .isEqualTo("That command is 501 characters long; the limit is 500.");
    }

    @Test
    void hugeTextIsRefusedWithoutException() {
        String huge = "pay 5 USD to " + "A".repeat(100 * 1024);

        assertThat(problem(huge)).startsWith("That command is 102,413 characters long");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "   ", "\t", " \t  "})
    void noTextOpensTheForm(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new OpenForm());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pay 5 USD to Acme\nfor INV-1", "deploy\r\nprod", "pay 5 USD to Acme\u2028", "a\u2029b",
        "next\u0085line", "\n", "help\n"})
    void lineBreaksAreRefused(String text) {
        assertThat(problem(text)).isEqualTo(
                "Put the whole command on one line: line breaks can't be part of an approval.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pay 5 USD to Acme\u202E Corp", "pay 5 USD to \u2066Acme", "deploy\u200Bprod",
        "\uFEFFhelp", "soft\u00ADhyphen"})
    void invisibleFormattingCharactersAreRefused(String text) {
        int offending = text.codePoints().filter(cp -> Character.getType(cp) == Character.FORMAT)
                .findFirst().orElseThrow();

        assertThat(problem(text)).contains("invisible formatting character")
                .contains(String.format("U+%04X", offending));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pay 5 USD to Acme\u0000", "bell\u0007", "esc\u001B[31m", "del\u007F",
        "lone \uD800 surrogate"})
    void controlCharactersAreRefused(String text) {
        assertThat(problem(text)).containsAnyOf("control character", "formatting character");
    }

    @Test
    void bidiOverrideIsNamedInTheProblem() {
        assertThat(problem("pay 5 USD to Acme\u202E Corp")).contains("U+202E");
    }

    // --- enroll, help, status, cancel, admin ----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"enroll +1 201 555 0123", "ENROLL   +1 201 555 0123  ",
        "Enroll\t+1 201 555 0123"})
    void enrollKeepsThePhoneAsTyped(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Enroll("+1 201 555 0123"));
    }

    @Test
    void enrollWithoutPhoneExplainsTheInternationalForm() {
        assertThat(problem("enroll")).contains("`/approve enroll +12015550123`");
    }

    @Test
    void enrollDoesNotPrintTheFullNumber() {
        assertThat(new Enroll("+12015550123").toString()).isEqualTo("Enroll[phone=•••• 0123]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "HELP", "HELP me", "help   with anything at all", "Help ☕"})
    void helpIgnoresWordsAfterIt(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "STATUS", "  Status  "})
    void statusIsRead(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Status());
    }

    @Test
    void statusWithMoreWordsIsRefused() {
        assertThat(problem("status extra")).startsWith("`status` takes nothing after it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cancel cs-7k3p9q", "cancel CS-7K3P9Q", "cancel 7K3P9Q",
        "CANCEL 7k3p9q", "cancel\t cs-7K3p9Q "})
    void cancelNormalisesTheReference(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Cancel("CS-7K3P9Q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cancel CS-7K3P9", "cancel CS-7K3P9QQ", "cancel CS-7K3P9I",
        "cancel CS-0O1L23", "cancel CS-UUUUUU", "cancel CS7K3P9Q", "cancel CS-7K3P9Q now",
        "cancel cſ-7k3p9q", "cancel XS-7K3P9Q", "cancel CS-7K3P9Q!", "cancel ７K3P9Q"})
    void cancelOfSomethingThatIsNotAReferenceIsRefused(String text) {
        assertThat(problem(text)).contains("is not a request reference");
    }

    @Test
    void cancelWithoutReferenceSaysWhatToType() {
        assertThat(problem("cancel")).startsWith("Say which request to cancel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin reset <@U024BE7LH|bob>", "admin reset <@U024BE7LH>",
        "admin reset U024BE7LH", "ADMIN Reset u024be7lh", "admin reset <@U024BE7LH|Bob Smith>"})
    void adminResetReadsTheUser(String text) {
        assertThat(CommandParser.parse(text)).isEqualTo(new AdminReset("U024BE7LH"));
    }

    @Test
    void adminResetAcceptsEnterpriseUserIds() {
        assertThat(CommandParser.parse("admin reset <@W012A3CDE>"))
                .isEqualTo(new AdminReset("W012A3CDE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "admin frobnicate", "admin frobnicate <@U024BE7LH>"})
    void otherAdminCommandsAreRefused(String text) {
        assertThat(problem(text)).isEqualTo(
                "The only admin command is `/approve admin reset @person`.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin reset @bob", "admin reset <@U024BE7LH> extra",
        "admin reset <#C024BE7LH|general>", "admin reset <!channel>", "admin reset C024BE7LH",
        "admin reset <@U024BE7LH|bob"})
    void adminResetOfSomethingThatIsNotAUserIsRefused(String text) {
        assertThat(problem(text)).contains("is not a Slack user").doesNotContain("<!channel>");
    }

    @Test
    void adminResetWithoutUserSaysWhatToType() {
        assertThat(problem("admin reset")).startsWith("Say whose phone to reset");
    }

    // --- usage ----------------------------------------------------------------------------------

    @Test
    void usageListsEveryFormWithAnExample() {
        assertThat(CommandParser.USAGE).contains(
                "/approve pay &lt;amount&gt; &lt;CUR&gt; to &lt;payee&gt; [for &lt;memo&gt;]",
                "`/approve pay 2500 USD to Acme Corp for INV-1042`",
                "/approve sign &lt;document&gt; [with &lt;counterparty&gt;]",
                "`/approve sign Master Services Agreement with Globex`",
                "/approve &lt;anything else&gt;",
                "• `/approve` —",
                "`/approve enroll +12015550123`",
                "/approve help", "/approve status",
                "`/approve cancel CS-7K3P9Q`");
        // Raw angle brackets would be read by Slack as links or mentions.
        assertThat(CommandParser.USAGE).doesNotContain("<", ">");
    }

    @Test
    void everyUsageExampleParses() {
        assertThat(payment("pay 2500 USD to Acme Corp for INV-1042").payee())
                .isEqualTo("Acme Corp");
        assertThat(signature("sign Master Services Agreement with Globex").counterparty())
                .isEqualTo("Globex");
        assertThat(generic("deploy billing-service v2.3 to production")).isNotEmpty();
        assertThat(CommandParser.parse("enroll +12015550123")).isInstanceOf(Enroll.class);
        assertThat(CommandParser.parse("cancel CS-7K3P9Q")).isInstanceOf(Cancel.class);
    }

    // --- seeded randomized tests -----------------------------------------------------------------

    private static final long SEED = 20_240_601L;
    private static final String[] FRAGMENTS = {
        "pay", "PAY", "Pay", "sign", "SIGN", "with", "WITH", "for", "FOR", "to", "TO", "enroll",
        "help", "status", "cancel", "admin", "reset", "2500", "2,500.00", "19.99", "0", "-5", "1e5",
        "2,50", ".", ",", "$", "€", "USD", "usd", "JPY", "XYZ", "DEM", "Acme Corp", "Zoë's Café",
        "☕", "株式会社", "👩‍💻", "🏴", "مرحبا", "<script>alert(1)</script>", "<@U024BE7LH|bob>",
        "<!channel>", "CS-7K3P9Q", "7k3p9q", "+1 201 555 0123", "&amp;", "`", "*", "_", "~",
        " ", " ", " ", "  ", "\t", "\u00A0", "\u3000", "\n", "\r", "\u0000", "\u0007",
        "\u202E", "\u200B", "\u200D", "\u2028", "\uD800", "\uDC00", "\uFEFF"};
    private static final String[] STARTS = {
        "pay 2500 USD to ", "pay ", "PAY USD 19.99 to ", "sign ", "sign NDA with ", "enroll ",
        "help", "status", "cancel ", "admin reset ", "", " "};
    private static final String[] WORDS = {
        "Acme", "Corp", "Zoë's", "Café", "☕", "株式会社", "👩‍💻", "<script>alert(1)</script>",
        "O'Brien", "&", "Ltd.", "Forbes", "FORMAT", "withdrawn", "Sign", "2500", "USD", "€",
        "\"quoted\"", "#1", "*bold*", "_it_", "`code`", "<@U123ABCDE>", "<!here>", "Ω", "مرحبا",
        "שלום", "ÅÄÖ", "ß", "İstanbul", "x"};

    @Test
    void randomTextNeverThrowsAndApprovalsKeepTheUsersWords() {
        Random random = new Random(SEED);
        Set<Class<?>> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String text = randomText(random);

            Command command = CommandParser.parse(text);

            assertThat(command).as("parse(%s)", text).isNotNull();
            seen.add(command.getClass());
            if (command instanceof RequestApproval approval) {
                seen.add(approval.action().getClass());
            }
            if (command instanceof Invalid invalid) {
                assertThat(invalid.problem()).isNotBlank();
            }
            if (command instanceof RequestApproval approval) {
                assertKeptVerbatim(text, approval.action());
            }
        }
        // A fuzz test that only ever reached Invalid would prove little.
        assertThat(seen).contains(Invalid.class, OpenForm.class, Help.class, Status.class,
                Enroll.class, Payment.class, Signature.class, Generic.class);
    }

    private static void assertKeptVerbatim(String text, Action action) {
        if (action instanceof Payment payment) {
            assertThat(text).contains(payment.payee());
            assertThat(payment.summary()).contains(" to " + payment.payee());
        } else if (action instanceof Signature signature) {
            assertThat(text).contains(signature.document());
            assertThat(signature.summary()).startsWith("sign " + signature.document());
        } else {
            assertThat(action.summary()).isEqualTo(text.strip());
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        if (random.nextBoolean()) {
            // Start like a command half of the time, so the fuzz gets past the first keyword.
            text.append(STARTS[random.nextInt(STARTS.length)]);
        }
        int parts = random.nextInt(random.nextInt(20) == 0 ? 400 : 12);
        for (int i = 0; i < parts; i++) {
            if (random.nextInt(8) == 0) {
                text.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
            } else {
                text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            if (random.nextBoolean()) {
                text.append(' ');
            }
        }
        return text.toString();
    }

    @Test
    void randomPaymentsRoundTripPayeeAndMemoExactly() {
        Random random = new Random(SEED);
        String[] amounts = {"2500", "2,500", "2,500.00", "19.99", "0.5", "1,000,000", "7"};
        String[] currencies = {"USD", "eur", "GBP", "Chf"};
        for (int i = 0; i < 3_000; i++) {
            String payee = randomWords(random, 1 + random.nextInt(12));
            String memo = random.nextBoolean() ? null : randomWords(random, 1 + random.nextInt(30));
            String amount = amounts[random.nextInt(amounts.length)];
            String currency = currencies[random.nextInt(currencies.length)];
            String money = random.nextBoolean() ? amount + " " + currency : currency + " " + amount;
            String text = "pay " + money + " to " + payee + (memo == null ? "" : " for " + memo);

            Command command = CommandParser.parse(text);

            if (length(payee) > Action.MAX_PAYEE || memo != null && length(memo) > Action.MAX_MEMO
                    || length(text) > CommandParser.MAX_TEXT) {
                assertThat(command).as(text).isInstanceOf(Invalid.class);
                continue;
            }
            Payment payment = payment(text);
            assertThat(payment.payee()).isEqualTo(payee);
            assertThat(payment.memo()).isEqualTo(memo);
            assertThat(payment.summary()).contains(" to " + payee);
        }
    }

    @Test
    void randomSignaturesRoundTripDocumentAndCounterpartyExactly() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 3_000; i++) {
            String counterparty =
                    random.nextBoolean() ? null : randomWords(random, 1 + random.nextInt(8));
            // With a counterparty, the document may contain "with" too: the last one splits.
            String document = randomWords(random, 1 + random.nextInt(20))
                    + (counterparty != null && random.nextInt(4) == 0
                    ? " with " + randomWords(random, 2) : "");
            String text = "sign " + document
                    + (counterparty == null ? "" : " with " + counterparty);

            Command command = CommandParser.parse(text);

            if (length(document) > Action.MAX_DOCUMENT) {
                assertThat(command).as(text).isInstanceOf(Invalid.class);
                continue;
            }
            Signature signature = signature(text);
            assertThat(signature.document()).isEqualTo(document);
            assertThat(signature.counterparty()).isEqualTo(counterparty);
            assertThat(signature.summary()).startsWith("sign " + document);
        }
    }

    /** CommandWords joined by one or more spaces; never the word "for" or "with", which split fields. */
    private static String randomWords(Random random, int count) {
        StringBuilder words = new StringBuilder(WORDS[random.nextInt(WORDS.length)]);
        for (int i = 1; i < count; i++) {
            words.append(" ".repeat(1 + random.nextInt(random.nextInt(10) == 0 ? 3 : 1)))
                    .append(WORDS[random.nextInt(WORDS.length)]);
        }
        return words.toString();
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    // --- helpers --------------------------------------------------------------------------------

    static Payment payment(String text) {
        return (Payment) approved(text);
    }

    static Signature signature(String text) {
        return (Signature) approved(text);
    }

    static String generic(String text) {
        return ((Generic) approved(text)).description();
    }

    static Action approved(String text) {
        Command command = CommandParser.parse(text);
        assertThat(command).as("parse(%s)", text).isInstanceOf(RequestApproval.class);
        return ((RequestApproval) command).action();
    }

    static String problem(String text) {
        Command command = CommandParser.parse(text);
        assertThat(command).as("parse(%s)", text).isInstanceOf(Invalid.class);
        return ((Invalid) command).problem();
    }
}
