package dev.countersign.approval;

import dev.countersign.people.SlackUserId;
import dev.countersign.approval.Command.AdminReset;
import dev.countersign.approval.Command.Cancel;
import dev.countersign.approval.Command.Enroll;
import dev.countersign.approval.Command.Help;
import dev.countersign.approval.Command.Invalid;
import dev.countersign.approval.Command.OpenForm;
import dev.countersign.approval.Command.RequestApproval;
import dev.countersign.approval.Command.Status;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of {@code /approve} into a {@link Command}. Keywords are case-insensitive and may
 * be separated by runs of spaces or tabs; everything a person names (payee, memo, document,
 * counterparty, free text) is kept exactly as typed. Never throws: text that cannot be read becomes
 * {@link Invalid} with a sentence saying what was wrong, to be shown above {@link #USAGE}.
 *
 * <p>The text is taken as Slack delivers it: mentions arrive escaped as {@code <@U024BE7LH|bob>}.
 */
public final class CommandParser {

    /** Longest text read, in code points; longer text is refused before any other work. */
    public static final int MAX_TEXT = 500;

    /** How to use {@code /approve}, in Slack mrkdwn, one form per line with an example. */
    public static final String USAGE = String.join("\n",
            "*How to use /approve*",
            "• `/approve pay &lt;amount&gt; &lt;CUR&gt; to &lt;payee&gt; [for &lt;memo&gt;]`"
                    + " — approve a payment: `/approve pay 2500 USD to Acme Corp for INV-1042`",
            "• `/approve sign &lt;document&gt; [with &lt;counterparty&gt;]` — approve a signature:"
                    + " `/approve sign Master Services Agreement with Globex`",
            "• `/approve &lt;anything else&gt;` — approve any other action:"
                    + " `/approve deploy billing-service v2.3 to production`",
            "• `/approve` — open a form to fill in the request",
            "• `/approve enroll &lt;phone&gt;` — enroll the phone that receives your codes, in"
                    + " international format: `/approve enroll +12015550123`",
            "• `/approve help` — show this message",
            "• `/approve status` — your open and recent requests",
            "• `/approve cancel &lt;reference&gt;` — cancel one of your requests:"
                    + " `/approve cancel CS-7K3P9Q`",
            "Amounts look like `2500`, `2,500.00` or `19.99`; currencies are ISO 4217 codes like"
                    + " USD, EUR or GBP. Payee up to " + Action.MAX_PAYEE + " characters, memo up"
                    + " to " + Action.MAX_MEMO + ", whole command up to " + MAX_TEXT + ".");

    static final Pattern USER_ID = Pattern.compile(SlackUserId.REGEX);
    /** A user mention as Slack escapes it: {@code <@U024BE7LH>} or {@code <@U024BE7LH|bob>}. */
    private static final Pattern MENTION = Pattern.compile("<@(" + SlackUserId.REGEX + ")(?:\\|[^<>]*)?>");
    /** The word {@code with} between spaces; the counterparty follows the last one. */
    private static final Pattern WITH = Pattern.compile("(?<![^ \\t])with(?![^ \\t])",
            Pattern.CASE_INSENSITIVE);
    private static final int QUOTE_LENGTH = 24;

    private CommandParser() {
    }

    /** The command in {@code text}; {@link OpenForm} for no text. */
    /**
     * Money from separate amount and currency fields (the request form), with the same checks and
     * messages as the command: exactly one of {@code money} and {@code problem} is set.
     */
    public record MoneyInput(Money money, String problem) {
    }

    public static MoneyInput money(String amount, String currency) {
        PaymentParser.MoneyField field = PaymentParser.money(amount, currency);
        return new MoneyInput(field.money(), field.problem());
    }

    public static Command parse(String text) {
        if (text == null) {
            return new OpenForm();
        }
        int length = text.codePointCount(0, text.length());
        if (length > MAX_TEXT) {
            return new Invalid("That command is " + String.format(Locale.ROOT, "%,d", length)
                    + " characters long; the limit is " + MAX_TEXT + ".");
        }
        String controlProblem = controlProblem(text);
        if (controlProblem != null) {
            return new Invalid(controlProblem);
        }
        String command = text.strip();
        if (command.isEmpty()) {
            return new OpenForm();
        }
        CommandWords words = new CommandWords(command);
        return switch (CommandWords.keyword(words.next())) {
            case "pay" -> PaymentParser.parse(words);
            case "sign" -> sign(words.rest());
            case "enroll" -> enroll(words.rest());
            case "help" -> new Help();
            case "status" -> words.atEnd() ? new Status()
                    : new Invalid("`status` takes nothing after it: type `/approve status`.");
            case "cancel" -> cancel(words.rest());
            case "admin" -> admin(words);
            default -> approval(() -> new Action.Generic(command));
        };
    }

    /**
     * Why the text cannot be read, or {@code null}. Tabs pass here because they may separate
     * keywords; one that ends up inside a payee or a description is refused by {@link Action}.
     */
    private static String controlProblem(String text) {
        int offending = text.codePoints()
                .filter(cp -> cp != '\t' && FreeText.isControlCharacter(cp))
                .findFirst().orElse(-1);
        if (offending < 0) {
            return null;
        }
        String code = String.format(Locale.ROOT, "U+%04X", offending);
        if (offending == '\n' || offending == '\r' || offending == 0x85
                || offending == 0x2028 || offending == 0x2029) {
            return "Put the whole command on one line: line breaks can't be part of an approval.";
        }
        if (Character.getType(offending) == Character.FORMAT) {
            return "The text contains an invisible formatting character (" + code + ") that could "
                    + "disguise what is being approved; retype it without that character.";
        }
        return "The text contains a control character (" + code + "); retype it without that "
                + "character.";
    }

    private static Command sign(String rest) {
        String example = "`/approve sign Master Services Agreement with Globex`";
        Matcher with = WITH.matcher(rest);
        int start = -1;
        int end = -1;
        while (with.find()) {
            start = with.start();
            end = with.end();
        }
        String document = start < 0 ? rest : rest.substring(0, start);
        String counterparty = start < 0 ? null : rest.substring(end);
        if (document.isBlank()) {
            return new Invalid("Say what to sign: " + example + ".");
        }
        if (counterparty != null && counterparty.isBlank()) {
            return new Invalid("Say who signs with you after `with`, or leave `with` out: "
                    + example + ".");
        }
        return approval(() -> new Action.Signature(document, counterparty));
    }

    private static Command enroll(String phone) {
        if (phone.isEmpty()) {
            return new Invalid("Say which phone to enroll, in international format with a leading +"
                    + " and the country code: `/approve enroll +12015550123`.");
        }
        return new Enroll(phone);
    }

    private static Command cancel(String reference) {
        if (reference.isEmpty()) {
            return new Invalid("Say which request to cancel: `/approve cancel CS-7K3P9Q`"
                    + " (`/approve status` lists yours).");
        }
        // Upper-case only ASCII: "ſ" (long s) would otherwise become a valid "S".
        String upper = CommandWords.isAscii(reference) ? reference.toUpperCase(Locale.ROOT) : "";
        String prefixed = upper.startsWith("CS-") ? upper : "CS-" + upper;
        if (!Reference.isValid(prefixed)) {
            return new Invalid(quote(reference) + " is not a request reference: references look"
                    + " like `CS-7K3P9Q` (`/approve status` lists yours).");
        }
        return new Cancel(prefixed);
    }

    private static Command admin(CommandWords words) {
        if (!CommandWords.keyword(words.next()).equals("reset")) {
            return new Invalid("The only admin command is `/approve admin reset @person`.");
        }
        String user = words.rest();
        if (user.isEmpty()) {
            return new Invalid("Say whose phone to reset: `/approve admin reset @person`.");
        }
        Matcher mention = MENTION.matcher(user);
        if (mention.matches()) {
            return new AdminReset(mention.group(1));
        }
        String upper = CommandWords.isAscii(user) ? user.toUpperCase(Locale.ROOT) : "";
        if (USER_ID.matcher(upper).matches()) {
            return new AdminReset(upper);
        }
        return new Invalid(quote(user) + " is not a Slack user: @-mention them, like"
                + " `/approve admin reset @bob`, or give their user id, like `U024BE7LH`.");
    }

    /** An approval of the action, or why the action's own checks (lengths, blanks) refused it. */
    static Command approval(Supplier<Action> action) {
        try {
            return new RequestApproval(action.get());
        } catch (InvalidActionException e) {
            return new Invalid("The " + e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            // Only Money's checks throw these, and PaymentParser makes the same checks first.
            String message = e.getMessage() == null || e.getMessage().isEmpty()
                    ? "that request can't be approved" : e.getMessage();
            return new Invalid(
                    Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".");
        }
    }

    /**
     * A piece of the input for a message: shortened, in backticks, and escaped for mrkdwn so that
     * quoting it cannot notify anyone ({@code <!channel>}) or make a link.
     */
    static String quote(String input) {
        String shortened = input.codePointCount(0, input.length()) <= QUOTE_LENGTH ? input
                : input.substring(0, input.offsetByCodePoints(0, QUOTE_LENGTH)) + "…";
        return "`" + shortened.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace('`', '\'') + "`";
    }
}
